package dev.agentstream.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * One fresh database for one test: a SQLite file or a PostgreSQL schema, with a JDBC URL that
 * {@link Storage} opens and direct queries for assertions on what is stored.
 */
record TestDatabase(String kind, String jdbcUrl) {

    boolean isPostgres() {
        return kind.equals("postgresql");
    }

    /** Options for this database with test-friendly defaults: node "node-a", a short sync timeout. */
    StorageOptions.Builder options() {
        return StorageOptions.builder().jdbcUrl(jdbcUrl).nodeId("node-a").syncTimeout(Duration.ofSeconds(10));
    }

    /** The first column of the first row of a query, as a long. */
    long queryLong(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             PreparedStatement statement = c.prepareStatement(sql)) {
            Row.bind(statement, params);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row of a query, as text. */
    String queryText(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             PreparedStatement statement = c.prepareStatement(sql)) {
            Row.bind(statement, params);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
