package dev.agentstream.run;

import java.time.Instant;

/**
 * Who and what a run is for, as observers and history providers see it. Immutable.
 *
 * @param userId the caller the run belongs to
 * @param parentRunId the team run this run belongs to, or null
 * @param message the user's message that started the run
 */
public record RunInfo(String runId, String sessionId, String userId, String agentId, String parentRunId,
                      String message, Instant startedAt) {
}
