package dev.agentstream.run;

import java.time.Instant;

/**
 * Who and what a run is for, as observers and history providers see it. Immutable.
 *
 * @param userId the caller the run belongs to
 * @param parentRunId the team run this run belongs to, or null
 * @param message the user's message that started the run
 * @param delegationCallId for a team's member run, the id of the leader's tool call it answers (a
 *     paused team continues its paused members by it); null otherwise
 */
public record RunInfo(String runId, String sessionId, String userId, String agentId, String parentRunId,
                      String message, Instant startedAt, String delegationCallId) {

    /** A run that answers no leader's tool call: an agent's or a team's own run. */
    public RunInfo(String runId, String sessionId, String userId, String agentId, String parentRunId,
                   String message, Instant startedAt) {
        this(runId, sessionId, userId, agentId, parentRunId, message, startedAt, null);
    }
}
