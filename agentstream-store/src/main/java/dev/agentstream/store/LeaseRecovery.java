package dev.agentstream.store;

import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Ends runs whose node died: a RUNNING run whose lease expired becomes INTERRUPTED (reason
 * {@code lease_expired}) with the content its node had flushed; its open messages are marked
 * interrupted, and a terminal {@code RunCancelled} is appended to its events so replaying readers
 * get an end. Safe on any number of nodes at once: each run is taken by one conditional update.
 * Thread-safe; the candidate query runs on the caller's thread, the updates on the writer.
 */
final class LeaseRecovery {

    private final Database database;
    private final Writer writer;
    private final WriterStats stats;
    private final Clock clock;
    private final Duration idempotencyKeyTtl;
    private final Duration timeout;

    LeaseRecovery(Database database, Writer writer, WriterStats stats, StorageOptions options) {
        this.database = database;
        this.writer = writer;
        this.stats = stats;
        this.clock = options.clock();
        this.idempotencyKeyTtl = options.idempotencyKeyTtl();
        this.timeout = options.syncTimeout();
    }

    /** Recovers the runs whose lease has expired by now; returns how many this call recovered. */
    int recoverExpired() {
        long now = clock.millis();
        List<String> expired = running("looking for expired leases", "lease_expires_at < ?", now);
        return interrupt("recovering expired leases", expired, now, RunCancelled.REASON_LEASE_EXPIRED,
            "lease_expires_at < ?", now).size();
    }

    /**
     * Interrupts every RUNNING run owned by {@code nodeId} (a node known to be dead, or this node's
     * own orphans after a restart), like an expired lease; returns the terminal events written.
     */
    List<RunCancelled> interruptRunsOf(String nodeId, String reason) {
        long now = clock.millis();
        List<String> owned = running("looking for the runs of node " + nodeId, "owner_node = ?", nodeId);
        return interrupt("interrupting the runs of node " + nodeId, owned, now, reason, "owner_node = ?", nodeId);
    }

    /**
     * The RUNNING runs matching {@code guard}. Chosen outside the write transaction, so that the
     * transaction starts with a write (SQLite could not upgrade a read snapshot that another node's
     * write made stale). Team members come before their team, so that the team's end is the last
     * event of the stream.
     */
    private List<String> running(String what, String guard, Object guardParam) {
        try (Connection c = database.connection()) {
            return Jdbc.query(c, "SELECT run_id FROM runs WHERE status = 'RUNNING' AND " + guard
                + " ORDER BY CASE WHEN parent_run_id IS NULL THEN 1 ELSE 0 END, started_at DESC",
                rs -> rs.getString(1), guardParam);
        } catch (SQLException e) {
            throw new StorageException(what + " failed: " + Writer.describe(e), e);
        }
    }

    /** The nodes that own RUNNING runs. */
    Set<String> nodesWithRunningRuns() {
        try (Connection c = database.connection()) {
            return Set.copyOf(Jdbc.query(c, "SELECT DISTINCT owner_node FROM runs WHERE status = 'RUNNING' AND owner_node IS NOT NULL",
                rs -> rs.getString(1)));
        } catch (SQLException e) {
            throw new StorageException("looking for nodes with running runs failed: " + Writer.describe(e), e);
        }
    }

    private List<RunCancelled> interrupt(String what, List<String> runIds, long now, String reason, String guard,
                                         Object guardParam) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        List<RunCancelled> ends = Await.result(what,
            writer.submit(what, c -> recover(c, runIds, now, reason, guard, guardParam)), timeout);
        stats.recovered(ends.size());
        return ends;
    }

    /** Forgets idempotency keys older than their time to live. */
    void pruneIdempotencyKeys() {
        long before = clock.millis() - idempotencyKeyTtl.toMillis();
        Await.result("pruning idempotency keys", writer.submit("pruning idempotency keys",
            c -> Jdbc.update(c, "DELETE FROM idempotency_keys WHERE created_at < ?", before)), timeout);
    }

    /** Takes each run still RUNNING and matching {@code guard}, and ends it with the content flushed. */
    private List<RunCancelled> recover(Connection c, List<String> runIds, long now, String reason, String guard,
                                       Object guardParam) throws SQLException {
        List<RunCancelled> ends = new ArrayList<>();
        for (String runId : runIds) {
            int taken = Jdbc.update(c, """
                UPDATE runs SET status = ?, cancel_reason = ?, completed_at = ?, lease_expires_at = NULL
                 WHERE run_id = ? AND status = 'RUNNING' AND\s""" + guard,
                RunStatus.INTERRUPTED.name(), reason, now, runId, guardParam);
            stats.statements(1);
            if (taken == 0) {
                continue;
            }
            Abandoned run = Jdbc.first(c, """
                SELECT r.session_id, r.agent_id, r.team, r.parent_run_id, r.stream_id, r.assistant_message_id,
                       (SELECT COALESCE(MAX(e.last_seq), 0) FROM run_events e WHERE e.stream_id = r.stream_id) AS stream_seq
                  FROM runs r
                 WHERE r.run_id = ?""", rs -> new Abandoned(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7)), runId).orElseThrow();
            // The answer as its node flushed it: the message's columns and the deltas written since.
            FlushedAnswer.Text flushed = FlushedAnswer.read(c, run.assistantMessageId);
            long seq = run.streamSeq + 1;
            String content = flushed == null || flushed.content() == null ? "" : flushed.content();
            RunCancelled end = new RunCancelled(seq, runId, run.sessionId, run.team ? null : run.agentId,
                run.team ? run.agentId : null, run.parentRunId, now / 1000, reason, content);
            Jdbc.update(c, Write.INSERT_EVENT.sql, EventRows.single(end, run.streamId).params());
            Jdbc.update(c, Write.FINISH_MESSAGE.sql, Row.text(content),
                Row.text(flushed == null ? null : flushed.reasoning()), seq, now, true, Row.text(null),
                run.assistantMessageId);
            Jdbc.update(c, Write.INTERRUPT_OPEN_TOOLS.sql, now, runId);
            Jdbc.update(c, Write.TOUCH_SESSION.sql, now, run.sessionId);
            stats.statements(7);
            ends.add(end);
        }
        return ends;
    }

    private record Abandoned(String sessionId, String agentId, boolean team, String parentRunId, String streamId,
                             String assistantMessageId, long streamSeq) {
    }
}
