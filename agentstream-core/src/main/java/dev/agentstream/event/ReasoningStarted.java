package dev.agentstream.event;

/** The model began to think. */
public record ReasoningStarted(long seq, String runId, String sessionId, String agentId, String teamId, String parentRunId, long createdAt) implements RunEvent {

    public ReasoningStarted(EventHeader h) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.teamId(), h.parentRunId(), h.createdAt());
    }
}
