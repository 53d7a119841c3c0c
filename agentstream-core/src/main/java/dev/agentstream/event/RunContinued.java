package dev.agentstream.event;

/** A paused run goes on; the first event of a continued segment. */
public record RunContinued(long seq, String runId, String sessionId, String agentId, String teamId, String parentRunId, long createdAt) implements RunEvent {

    public RunContinued(EventHeader h) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.teamId(), h.parentRunId(), h.createdAt());
    }
}
