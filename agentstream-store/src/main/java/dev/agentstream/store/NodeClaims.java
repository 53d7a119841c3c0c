package dev.agentstream.store;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What one node takes for itself in the shared database so that several nodes agree: a session's
 * turn (whose run holds it) and a paused run it is about to continue. Each claim is one statement
 * on the writer thread, atomic on PostgreSQL's row locks (and SQLite's single writer), and each
 * lapses with the run's own state, so a node that dies holds nothing longer than its runs stay
 * RUNNING.
 *
 * <p>Thread contract: thread-safe; callers wait for the writer thread (at most the sync timeout).
 */
final class NodeClaims {

    private final Writer writer;
    private final Clock clock;
    private final String nodeId;
    private final Duration lease;
    private final Duration timeout;

    NodeClaims(Writer writer, StorageOptions options) {
        this.writer = writer;
        this.clock = options.clock();
        this.nodeId = options.nodeId();
        this.lease = options.leaseDuration();
        this.timeout = options.syncTimeout();
    }

    /**
     * Gives the session to {@code runId} unless another run holds it: one that is RUNNING with a
     * live lease, or one claimed less than a lease ago and not stored yet (it is starting). Returns
     * the holder's id, or empty when {@code runId} holds the session now.
     */
    Optional<String> claimSession(String sessionId, String runId) {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(runId, "runId");
        long now = clock.millis();
        String holder = Await.result("claiming a session", writer.submit("claiming a session", c -> {
            Jdbc.update(c, """
                INSERT INTO session_claims (session_id, run_id, owner_node, claimed_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (session_id) DO UPDATE
                SET run_id = excluded.run_id, owner_node = excluded.owner_node, claimed_at = excluded.claimed_at
                WHERE session_claims.run_id = excluded.run_id
                   OR EXISTS (SELECT 1 FROM runs r WHERE r.run_id = session_claims.run_id
                              AND (r.status <> 'RUNNING' OR r.lease_expires_at < ?))
                   OR (session_claims.claimed_at < ?
                       AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_id = session_claims.run_id))""",
                sessionId, runId, nodeId, now, now, now - lease.toMillis());
            return Jdbc.first(c, "SELECT run_id FROM session_claims WHERE session_id = ?", rs -> rs.getString(1),
                sessionId).orElseThrow();
        }), timeout);
        return holder.equals(runId) ? Optional.empty() : Optional.of(holder);
    }

    /** Lets go of a session whose run did not start after all; a no-op if another run holds it. */
    void releaseSession(String sessionId, String runId) {
        Await.result("releasing a session", writer.submit("releasing a session", c -> Jdbc.update(c,
            "DELETE FROM session_claims WHERE session_id = ? AND run_id = ?", sessionId, runId)), timeout);
    }

    /**
     * Takes a paused run for this node before continuing it: RUNNING, owned here, with a lease. Its
     * paused state stays until the continued segment is recorded, so {@link #releasePausedRun} can
     * give it back. False if it is not paused (another node continued it, or it was cancelled).
     */
    boolean claimPausedRun(String runId) {
        requireNonNull(runId, "runId");
        long now = clock.millis();
        int claimed = Await.result("claiming a paused run", writer.submit("claiming a paused run", c -> Jdbc.update(c, """
            UPDATE runs SET status = 'RUNNING', owner_node = ?, lease_expires_at = ?
            WHERE run_id = ? AND status = 'PAUSED'""", nodeId, now + lease.toMillis(), runId)), timeout);
        return claimed == 1;
    }

    /** Gives back a paused run this node claimed but did not continue (the decisions did not fit). */
    void releasePausedRun(String runId) {
        Await.result("releasing a paused run", writer.submit("releasing a paused run", c -> Jdbc.update(c, """
            UPDATE runs SET status = 'PAUSED', lease_expires_at = NULL
            WHERE run_id = ? AND status = 'RUNNING' AND owner_node = ? AND paused_state IS NOT NULL""",
            runId, nodeId)), timeout);
    }

    /** Forgets an idempotency key whose request was refused, so a retry on any node starts afresh. */
    void releaseIdempotencyKey(String userId, String key, String runId) {
        Await.result("releasing an idempotency key", writer.submit("releasing an idempotency key", c -> Jdbc.update(c,
            "DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ? AND run_id = ?", userId, key, runId)),
            timeout);
    }
}
