package dev.agentstream.event;

/** The answer's text is complete (sent once, before {@link RunCompleted}). */
public record RunContentCompleted(long seq, String runId, String sessionId, String agentId, String teamId, String parentRunId, long createdAt) implements RunEvent {

    public RunContentCompleted(EventHeader h) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.teamId(), h.parentRunId(), h.createdAt());
    }
}
