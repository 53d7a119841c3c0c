package dev.agentstream.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the units of several runs in one transaction: first which runs this node still owns,
 * then one JDBC batch per {@link Write} kind, in the kinds' order. Thread contract: used by the
 * writer thread only.
 */
final class GroupCommit {

    /** Ids per ownership query: well under both databases' limits on parameters. */
    private static final int IDS_PER_QUERY = 500;

    private final WriterStats stats;
    private final String nodeId;
    private final String lockClause;

    /**
     * @param lockOwnedRows PostgreSQL: lock the owned runs' rows until the commit, so that a
     *     recovery on another node waits for this group instead of slipping in between the check and
     *     the writes (SQLite needs no lock: its writer transactions hold the database)
     */
    GroupCommit(WriterStats stats, String nodeId, boolean lockOwnedRows) {
        this.stats = stats;
        this.nodeId = nodeId;
        this.lockClause = lockOwnedRows ? " FOR SHARE" : "";
    }

    /**
     * Executes and commits the units.
     *
     * @return the runs this node no longer owns (another node took them over); none of their rows
     *     were written
     * @throws SQLException after rolling back, if any statement or the commit failed
     */
    Set<LiveRun> execute(Connection connection, List<LiveRun.Unit> units) throws SQLException {
        Map<Write, List<Entry>> byWrite = new EnumMap<>(Write.class);
        List<LiveRun> unchecked = new ArrayList<>();
        for (LiveRun.Unit unit : units) {
            if (unit.checkOwner()) {
                unchecked.add(unit.run());
            }
            for (Row row : unit.rows()) {
                byWrite.computeIfAbsent(row.write(), w -> new ArrayList<>()).add(new Entry(unit.run(), row));
            }
        }
        Set<LiveRun> lost = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            lost.addAll(notOwned(connection, unchecked));
            for (Map.Entry<Write, List<Entry>> kind : byWrite.entrySet()) {
                executeBatch(connection, kind.getKey(), kind.getValue(), lost);
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

    private List<LiveRun> notOwned(Connection connection, List<LiveRun> runs) throws SQLException {
        List<LiveRun> notOwned = new ArrayList<>();
        for (int from = 0; from < runs.size(); from += IDS_PER_QUERY) {
            List<LiveRun> chunk = runs.subList(from, Math.min(runs.size(), from + IDS_PER_QUERY));
            Object[] params = new Object[chunk.size() + 1];
            params[0] = nodeId;
            for (int i = 0; i < chunk.size(); i++) {
                params[i + 1] = chunk.get(i).runId();
            }
            Set<String> owned = new HashSet<>(Jdbc.query(connection,
                Write.OWNED_RUNS + Jdbc.placeholders(chunk.size()) + ")" + lockClause, rs -> rs.getString(1), params));
            stats.statements(1);
            for (LiveRun run : chunk) {
                if (!owned.contains(run.runId())) {
                    notOwned.add(run);
                }
            }
        }
        return notOwned;
    }

    private void executeBatch(Connection connection, Write write, List<Entry> entries, Set<LiveRun> lost)
        throws SQLException {
        List<Entry> live = entries.stream().filter(e -> !lost.contains(e.run)).toList();
        if (live.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(write.sql)) {
            for (Entry entry : live) {
                Row row = entry.row;
                if (FlushedAnswer.needsFill(row)) {
                    row = FlushedAnswer.fill(connection, row);
                    stats.statements(2);
                }
                row.bind(statement);
                statement.addBatch();
            }
            int[] counts = statement.executeBatch();
            stats.batch(write, live.size());
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
