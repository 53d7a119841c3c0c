package dev.agentstream.event;

/** A chunk of the answer's text. */
public record RunContent(long seq, String runId, String sessionId, String agentId, String teamId, String parentRunId, long createdAt, String content) implements RunEvent {

    public RunContent(EventHeader h, String content) {
        this(h.seq(), h.runId(), h.sessionId(), h.agentId(), h.teamId(), h.parentRunId(), h.createdAt(), content);
    }
}
