package dev.agentstream.event;

/** The run was stopped; terminal. {@code content} is the partial answer kept. */
public record RunCancelled(long seq, String runId, String sessionId, String agentId, String parentRunId, long createdAt, String reason, String content) implements RunEvent {

    public RunCancelled(EventHeader h, String reason, String content) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.parentRunId(), h.createdAt(), reason, content);
    }
}
