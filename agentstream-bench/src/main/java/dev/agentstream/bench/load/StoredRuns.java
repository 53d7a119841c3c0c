package dev.agentstream.bench.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/** The runs the server stored, counted by status straight from its database (SQLite or PostgreSQL). */
final class StoredRuns {

    private final String jdbcUrl;

    StoredRuns(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /** Stored runs by status, e.g. {@code COMPLETED=120, INTERRUPTED=30}. */
    Map<String, Long> byStatus() throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             Statement statement = c.createStatement();
             ResultSet rows = statement.executeQuery("SELECT status, COUNT(*) FROM runs GROUP BY status")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }
}
