package dev.agentstream;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.agentstream.event.Metrics;
import dev.agentstream.event.RunRequirement;
import dev.agentstream.event.RunStatus;
import dev.agentstream.event.ToolExecution;
import java.util.List;

/**
 * Where a run stands after a segment: the answer so far (kept also when the run was cancelled or
 * failed), its tool calls, what it waits for when paused, and its metrics. Immutable.
 *
 * @param error the error message when {@code status} is ERROR, else null
 * @param cancelReason why the run was cancelled, else null
 * @param lastSeq the seq of the last event of the segment
 */
public record RunOutput(
    String runId,
    String sessionId,
    String agentId,
    RunStatus status,
    String content,
    String reasoningContent,
    List<ToolExecution> tools,
    List<RunRequirement> requirements,
    Metrics metrics,
    String error,
    String cancelReason,
    long lastSeq) {

    @JsonIgnore
    public boolean isPaused() {
        return status == RunStatus.PAUSED;
    }
}
