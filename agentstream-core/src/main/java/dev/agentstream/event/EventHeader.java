package dev.agentstream.event;

/**
 * The fields every event carries, bundled so a producer can make an event in one expression:
 * {@code new RunContent(header, "Hello")}.
 *
 * @param agentId the agent that produced the event; null for a team's own events
 * @param teamId the team whose own event this is (its name then carries the {@code Team} prefix); else null
 * @param parentRunId the team run a member run belongs to; else null
 */
public record EventHeader(long seq, String runId, String sessionId, String agentId, String teamId, String parentRunId,
                          long createdAt) {

    /** The header of an agent's event. */
    public EventHeader(long seq, String runId, String sessionId, String agentId, String parentRunId, long createdAt) {
        this(seq, runId, sessionId, agentId, null, parentRunId, createdAt);
    }
}
