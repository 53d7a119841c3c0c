package dev.agentstream.event;

import java.util.List;

/** The run waits for people: a tool needs confirmation, user input or external execution; terminal for this segment. */
public record RunPaused(long seq, String runId, String sessionId, String agentId, String teamId, String parentRunId, long createdAt, List<ToolExecution> tools, List<RunRequirement> requirements) implements RunEvent {

    public RunPaused(EventHeader h, List<ToolExecution> tools, List<RunRequirement> requirements) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.teamId(), h.parentRunId(), h.createdAt(), tools, requirements);
    }
}
