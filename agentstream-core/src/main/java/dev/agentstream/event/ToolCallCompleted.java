package dev.agentstream.event;

/** A tool returned (or a paused tool was rejected: {@code tool.confirmed} is false). */
public record ToolCallCompleted(long seq, String runId, String sessionId, String agentId, String teamId, String parentRunId, long createdAt, ToolExecution tool) implements RunEvent {

    public ToolCallCompleted(EventHeader h, ToolExecution tool) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.teamId(), h.parentRunId(), h.createdAt(), tool);
    }
}
