package dev.agentstream.event;

/** The model called a tool; {@code tool} has its name and arguments. */
public record ToolCallStarted(long seq, String runId, String sessionId, String agentId, String teamId, String parentRunId, long createdAt, ToolExecution tool) implements RunEvent {

    public ToolCallStarted(EventHeader h, ToolExecution tool) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.teamId(), h.parentRunId(), h.createdAt(), tool);
    }
}
