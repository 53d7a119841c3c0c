package dev.agentstream.server.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL and Redis that nodes of a multi-node test share: {@code postgres@127.0.0.1:5432/test}
 * and {@code redis://127.0.0.1:6379} (override with the system properties {@code agentstream.test.postgres}
 * and {@code agentstream.test.redis}). When one cannot be reached the test is skipped, except in CI
 * ({@code CI=true}), where it fails. Each instance has a PostgreSQL schema of its own, dropped on close.
 */
public final class SharedServices implements AutoCloseable {

    public static final String POSTGRES = System.getProperty("agentstream.test.postgres",
        "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=3");
    public static final String REDIS = System.getProperty("agentstream.test.redis", "redis://127.0.0.1:6379");

    private final String schema = "as_nodes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    private SharedServices() {
    }

    /** Checks both services are there (or skips, or fails in CI). */
    public static SharedServices require() {
        SharedServices services = requirePostgres();
        try (dev.agentstream.redis.RedisLink link = dev.agentstream.redis.RedisLink.connect(REDIS)) {
            link.isUp();
        } catch (RuntimeException e) {
            unavailable("Redis at " + REDIS, e);
        }
        return services;
    }

    /** Checks PostgreSQL is there (or skips, or fails in CI), for a test that needs no Redis. */
    public static SharedServices requirePostgres() {
        try (Connection c = DriverManager.getConnection(POSTGRES)) {
            c.isValid(3);
        } catch (SQLException e) {
            unavailable("PostgreSQL at " + POSTGRES, e);
        }
        return new SharedServices();
    }

    private static void unavailable(String what, Exception e) {
        String message = what + " is not reachable (" + e.getMessage() + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message + "; in CI the multi-node tests must run", e);
        }
        Assumptions.abort(message + "; skipping (set CI=true to make this a failure)");
    }

    /** The JDBC URL of this instance's schema. */
    public String jdbcUrl() {
        return POSTGRES + "&currentSchema=" + schema;
    }

    /** The JDBC URL of this instance's schema, reached through {@code port} on loopback (a proxy's) instead. */
    public String jdbcUrlVia(int port) {
        return jdbcUrl().replace("//127.0.0.1:5432/", "//127.0.0.1:" + port + "/");
    }

    /** Where PostgreSQL listens, for a proxy in front of it. */
    public static java.net.URI postgresAddress() {
        return java.net.URI.create("tcp://127.0.0.1:5432");
    }

    /** A run's status as stored, read straight from the database (no node needed). */
    public String storedStatus(String runId) throws SQLException {
        return column("SELECT status FROM runs WHERE run_id = ?", runId);
    }

    /** A run's webhook delivery as stored, {@code "<status> <attempts> <claimed_by or ->"}, or null without one. */
    public String storedWebhook(String runId) throws SQLException {
        return column("SELECT status || ' ' || attempts || ' ' || COALESCE(claimed_by, '-') FROM webhook_deliveries"
            + " WHERE run_id = ?", runId);
    }

    private String column(String sql, String param) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl());
             var query = c.prepareStatement(sql)) {
            query.setString(1, param);
            try (var rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    /** A run's row as stored, read straight from the database: its columns by name; empty if there is none. */
    public Map<String, Object> storedRun(String runId) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl());
             var query = c.prepareStatement("SELECT status, owner_node, started_at, completed_at, cancel_reason"
                 + " FROM runs WHERE run_id = ?")) {
            query.setString(1, runId);
            try (var rows = query.executeQuery()) {
                Map<String, Object> row = new HashMap<>();
                if (rows.next()) {
                    for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                        row.put(rows.getMetaData().getColumnLabel(i), rows.getObject(i));
                    }
                }
                return row;
            }
        }
    }

    /**
     * Whether the run's node has flushed any of its answer yet, read straight from the database: the
     * streamed deltas are in {@code run_events} rows (the message gets its text when it ends).
     */
    public boolean hasFlushedAnswer(String runId) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl());
             var query = c.prepareStatement("SELECT COUNT(*) FROM run_events WHERE run_id = ? AND event_type = 'RunContent'")) {
            query.setString(1, runId);
            try (var rows = query.executeQuery()) {
                return rows.next() && rows.getLong(1) > 0;
            }
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
