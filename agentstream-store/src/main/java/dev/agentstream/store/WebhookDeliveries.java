package dev.agentstream.store;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The webhook deliveries of background runs, shared by every node on the database. A delivery is
 * registered when its run starts and becomes due once the run's stored status is final (completed,
 * cancelled, error, interrupted or paused), whichever node stored it. A node claims a due delivery
 * with one conditional update, so each attempt is made by one node; a claim older than its lease
 * (the node died or hangs) may be taken over, and the late node's outcome is then ignored.
 *
 * <p>Thread contract: thread-safe. Reads run on the caller's thread; writes wait for the storage's
 * writer (at most the sync timeout). Failures are {@link StorageException}s.
 */
public final class WebhookDeliveries {

    private static final String ENDED = "'COMPLETED', 'CANCELLED', 'ERROR', 'INTERRUPTED', 'PAUSED'";
    private static final String COLUMNS = "delivery_id, run_id, url, status, attempts, next_attempt_at, claimed_by,"
        + " last_error, delivered_at";

    private final Database database;
    private final Writer writer;
    private final Clock clock;
    private final Duration timeout;
    private final String nodeId;

    WebhookDeliveries(Database database, Writer writer, StorageOptions options) {
        this.database = database;
        this.writer = writer;
        this.clock = options.clock();
        this.timeout = options.syncTimeout();
        this.nodeId = options.nodeId();
    }

    /**
     * Registers the delivery of {@code runId}'s final state to {@code url}, one per run: registering
     * the run again (a start retried under its idempotency key) only changes the URL while nothing
     * was attempted. Returns the delivery's id.
     */
    public String register(String runId, String url) {
        requireNonNull(runId, "runId");
        requireNonNull(url, "url");
        String deliveryId = UUID.randomUUID().toString();
        long now = clock.millis();
        return Await.result("registering a webhook", writer.submit("registering a webhook", c -> {
            Jdbc.update(c, """
                INSERT INTO webhook_deliveries (delivery_id, run_id, url, status, attempts, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, 0, ?, ?)
                ON CONFLICT (run_id) DO UPDATE SET url = excluded.url
                 WHERE webhook_deliveries.attempts = 0 AND webhook_deliveries.claimed_by IS NULL""",
                deliveryId, runId, url, WebhookDelivery.PENDING, now, now);
            return Jdbc.first(c, "SELECT delivery_id FROM webhook_deliveries WHERE run_id = ?", rs -> rs.getString(1),
                runId).orElseThrow();
        }), timeout);
    }

    /**
     * Drops the delivery of a run whose start was refused or failed, unless an attempt was made or
     * the run was stored after all (its stored end then makes the delivery due, as for any run).
     */
    public void forget(String runId) {
        Await.result("forgetting a webhook", writer.submit("forgetting a webhook", c -> Jdbc.update(c, """
            DELETE FROM webhook_deliveries WHERE run_id = ? AND attempts = 0 AND claimed_by IS NULL
               AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_id = webhook_deliveries.run_id)""", runId)), timeout);
    }

    /**
     * Claims for this node, until {@code lease} from now, at most {@code limit} deliveries that are
     * due: their run has ended, their next attempt is not in the future, and nobody holds a live claim.
     */
    public List<WebhookDelivery> claimDue(Duration lease, int limit) {
        long now = clock.millis();
        // Chosen outside the write transaction, which then starts with a write (SQLite cannot
        // upgrade a read snapshot another node's write made stale); the update re-checks the claim.
        List<String> due = read("looking for due webhooks", c -> Jdbc.query(c, """
            SELECT d.delivery_id FROM webhook_deliveries d JOIN runs r ON r.run_id = d.run_id
             WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND r.status IN (""" + ENDED + """
            )
               AND (d.claimed_by IS NULL OR d.claim_expires_at < ?)
             ORDER BY d.next_attempt_at LIMIT ?""", rs -> rs.getString(1), now, now, limit));
        if (due.isEmpty()) {
            return List.of();
        }
        long until = now + lease.toMillis();
        List<String> claimed = Await.result("claiming webhooks", writer.submit("claiming webhooks", c -> {
            List<String> mine = new ArrayList<>();
            for (String deliveryId : due) {
                int taken = Jdbc.update(c, """
                    UPDATE webhook_deliveries SET claimed_by = ?, claim_expires_at = ?
                     WHERE delivery_id = ? AND status = 'pending' AND (claimed_by IS NULL OR claim_expires_at < ?)""",
                    nodeId, until, deliveryId, now);
                if (taken == 1) {
                    mine.add(deliveryId);
                }
            }
            return mine;
        }), timeout);
        List<WebhookDelivery> out = new ArrayList<>();
        for (String deliveryId : claimed) {
            find(deliveryId).ifPresent(out::add);
        }
        return out;
    }

    /** Records a successful attempt; false if this node's claim was taken over meanwhile (nothing recorded). */
    public boolean delivered(String deliveryId) {
        long now = clock.millis();
        return finishAttempt("recording a webhook delivered", """
            UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = ?,
                   last_error = NULL, claimed_by = NULL, claim_expires_at = NULL
             WHERE delivery_id = ? AND claimed_by = ? AND status = 'pending'""", now, deliveryId, nodeId);
    }

    /**
     * Records a failed attempt: tried again at {@code nextAttemptAt}, or given up ({@code failed})
     * when {@code nextAttemptAt} is null. False if this node's claim was taken over meanwhile.
     */
    public boolean attemptFailed(String deliveryId, String error, Instant nextAttemptAt) {
        String status = nextAttemptAt == null ? WebhookDelivery.FAILED : WebhookDelivery.PENDING;
        long next = nextAttemptAt == null ? clock.millis() : nextAttemptAt.toEpochMilli();
        return finishAttempt("recording a webhook attempt failed", """
            UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?,
                   claimed_by = NULL, claim_expires_at = NULL
             WHERE delivery_id = ? AND claimed_by = ? AND status = 'pending'""", status, next, Row.text(error),
            deliveryId, nodeId);
    }

    /** The deliveries registered for a run. */
    public List<WebhookDelivery> forRun(String runId) {
        return read("reading a run's webhooks", c -> Jdbc.query(c, "SELECT " + COLUMNS
            + " FROM webhook_deliveries WHERE run_id = ? ORDER BY created_at", WebhookDeliveries::delivery, runId));
    }

    /** One delivery by id. */
    public Optional<WebhookDelivery> find(String deliveryId) {
        return read("reading a webhook", c -> Jdbc.first(c, "SELECT " + COLUMNS
            + " FROM webhook_deliveries WHERE delivery_id = ?", WebhookDeliveries::delivery, deliveryId));
    }

    /** The node id claims are made under. */
    public String nodeId() {
        return nodeId;
    }

    private boolean finishAttempt(String what, String sql, Object... params) {
        return Await.result(what, writer.submit(what, c -> Jdbc.update(c, sql, params)), timeout) == 1;
    }

    private <T> T read(String what, Writer.Job<T> query) {
        try (Connection c = database.connection()) {
            return query.run(c);
        } catch (SQLException e) {
            throw new StorageException(what + " failed: " + Writer.describe(e), e);
        }
    }

    private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
        return new WebhookDelivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
            Jdbc.instant(rs, "next_attempt_at"), rs.getString(7), rs.getString(8), Jdbc.instant(rs, "delivered_at"));
    }
}
