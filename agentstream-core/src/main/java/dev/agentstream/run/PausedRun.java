package dev.agentstream.run;

import dev.agentstream.event.RunRequirement;
import dev.agentstream.event.ToolExecution;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue a paused run in another process: the conversation so far (as
 * LangChain4j's JSON of its chat messages), what the run waits for, and where its numbering and
 * output stand. Immutable; stored as JSON by the store.
 *
 * @param messagesJson LangChain4j {@code ChatMessageSerializer.messagesToJson} of the model's messages
 * @param tools every tool call of the run so far, the pending ones last
 * @param lastSeq the seq of the {@code RunPaused} event
 * @param startedAtMillis when the run started, for its duration
 * @param members for a team: the paused state of each member that paused, by the id of the
 *     delegation call that started it (empty for an agent, and in states stored before teams had it)
 */
public record PausedRun(
    RunInfo run,
    String messagesJson,
    List<RunRequirement> requirements,
    List<ToolExecution> tools,
    String content,
    String reasoningContent,
    long inputTokens,
    long outputTokens,
    long lastSeq,
    long startedAtMillis,
    Map<String, PausedRun> members) {

    public PausedRun {
        members = members == null ? Map.of() : Map.copyOf(members);
    }

    /** The state of a run none of whose members paused (an agent's). */
    public PausedRun(RunInfo run, String messagesJson, List<RunRequirement> requirements, List<ToolExecution> tools,
                     String content, String reasoningContent, long inputTokens, long outputTokens, long lastSeq,
                     long startedAtMillis) {
        this(run, messagesJson, requirements, tools, content, reasoningContent, inputTokens, outputTokens, lastSeq,
            startedAtMillis, Map.of());
    }
}
