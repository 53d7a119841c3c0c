package dev.agentstream.event;

/** A tool threw; the model is told and the run goes on. */
public record ToolCallError(long seq, String runId, String sessionId, String agentId, String teamId, String parentRunId, long createdAt, ToolExecution tool, String error) implements RunEvent {

    public ToolCallError(EventHeader h, ToolExecution tool, String error) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.teamId(), h.parentRunId(), h.createdAt(), tool, error);
    }
}
