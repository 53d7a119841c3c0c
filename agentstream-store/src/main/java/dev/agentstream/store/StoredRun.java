package dev.agentstream.store;

import dev.agentstream.event.RunStatus;
import java.time.Instant;

/**
 * One run as stored.
 *
 * @param ownerNode the node that executes (or executed) the run
 * @param leaseExpiresAt while RUNNING: when the run counts as abandoned unless its node renews the lease
 * @param lastSeq the seq of the last event stored
 */
public record StoredRun(String runId, String sessionId, String parentRunId, String agentId, String userId,
                        String userMessageId, String assistantMessageId, RunStatus status, Instant startedAt,
                        Instant completedAt, String error, String cancelReason, long inputTokens, long outputTokens,
                        long totalTokens, String ownerNode, Instant leaseExpiresAt, long lastSeq) {
}
