package dev.agentstream.event;

/** The run began; the first event of every run. */
public record RunStarted(long seq, String runId, String sessionId, String agentId, String teamId, String parentRunId, long createdAt, String model) implements RunEvent {

    public RunStarted(EventHeader h, String model) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.teamId(), h.parentRunId(), h.createdAt(), model);
    }
}
