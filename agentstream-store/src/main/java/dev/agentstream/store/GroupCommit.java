package dev.agentstream.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the units of several runs in one transaction: one JDBC batch per {@link Write} kind, in
 * the kinds' order. Stateless; called on the writer thread.
 */
final class GroupCommit {

    private GroupCommit() {
    }

    /**
     * Executes and commits the units.
     *
     * @return the runs whose fence matched no row: another node took them over, and none of their
     *     later rows were written
     * @throws SQLException after rolling back, if any statement or the commit failed
     */
    static Set<LiveRun> execute(Connection connection, List<LiveRun.Unit> units, WriterStats stats) throws SQLException {
        Map<Write, List<Entry>> byWrite = new EnumMap<>(Write.class);
        for (LiveRun.Unit unit : units) {
            for (Row row : unit.rows()) {
                byWrite.computeIfAbsent(row.write(), w -> new ArrayList<>()).add(new Entry(unit.run(), row));
            }
        }
        Set<LiveRun> lost = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            for (Map.Entry<Write, List<Entry>> kind : byWrite.entrySet()) {
                executeBatch(connection, kind.getKey(), kind.getValue(), lost, stats);
            }
            connection.commit();
            stats.commit();
            return lost;
        } catch (SQLException | RuntimeException e) {
            rollback(connection, e);
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void executeBatch(Connection connection, Write write, List<Entry> entries, Set<LiveRun> lost,
                                     WriterStats stats) throws SQLException {
        List<Entry> live = entries.stream().filter(e -> !lost.contains(e.run)).toList();
        if (live.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(write.sql)) {
            for (Entry entry : live) {
                entry.row.bind(statement);
                statement.addBatch();
            }
            int[] counts = statement.executeBatch();
            stats.batch(live.size());
            if (write.fences) {
                for (int i = 0; i < counts.length; i++) {
                    // SUCCESS_NO_INFO (-2) means "done, count unknown": only a reported 0 is a lost fence.
                    if (counts[i] == 0) {
                        lost.add(live.get(i).run);
                    }
                }
            }
        }
    }

    static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private record Entry(LiveRun run, Row row) {
    }
}
