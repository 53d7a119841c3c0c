package dev.agentstream.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * An assistant message's text as stored while it streams. Its columns hold the text as of its last
 * whole write ({@code content_seq}); the deltas its run flushed since are only in {@code run_events}
 * (written once, not appended to the message as well). Reading the message mid-stream, recovering
 * an abandoned run and ending a run whose end event does not carry its reasoning all join the two
 * here. Stateless.
 */
final class FlushedAnswer {

    /** The deltas of one run after a seq, in order: few rows, one a flush (plus tool calls' events). */
    private static final String DELTAS_AFTER =
        "SELECT event_type, payload FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq";

    private FlushedAnswer() {
    }

    /** The answer and its reasoning (null if there is none). */
    record Text(String content, String reasoning) {
    }

    enum Part {
        CONTENT,
        REASONING
    }

    /**
     * A {@link Row} parameter that stands for the message's stored text, deltas of this very
     * transaction included ({@link Write#INSERT_EVENT} runs before the message's updates);
     * {@link #fill} replaces it before the row is bound.
     */
    record Ref(String messageId, Part part) {
    }

    /** The message's columns ({@code contentSeq} null: they hold all of its text) joined with its run's later deltas. */
    static Text join(Connection connection, String runId, String content, String reasoning, Long contentSeq)
        throws SQLException {
        if (contentSeq == null) {
            return new Text(content, reasoning);
        }
        StringBuilder answer = new StringBuilder(content == null ? "" : content);
        StringBuilder thinking = reasoning == null ? null : new StringBuilder(reasoning);
        List<String[]> rows = Jdbc.query(connection, DELTAS_AFTER, rs -> new String[] {rs.getString(1), rs.getString(2)},
            runId, contentSeq);
        for (String[] row : rows) {
            if (EventRows.isContentRow(row[0])) {
                answer.append(EventRows.deltaText(row[1]));
            } else if (EventRows.isReasoningRow(row[0])) {
                thinking = thinking == null ? new StringBuilder() : thinking;
                thinking.append(EventRows.deltaText(row[1]));
            }
        }
        // As the columns hold text (the payloads keep NUL escaped).
        return new Text(SqlText.clean(answer.toString()), thinking == null ? null : SqlText.clean(thinking.toString()));
    }

    /** The stored text of one message, or null if there is no such message. */
    static Text read(Connection connection, String messageId) throws SQLException {
        Object[] row = Jdbc.first(connection,
            "SELECT run_id, content, reasoning_content, content_seq FROM messages WHERE message_id = ?",
            rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), nullableLong(rs.getLong(4), rs.wasNull())},
            messageId).orElse(null);
        return row == null ? null : join(connection, (String) row[0], (String) row[1], (String) row[2], (Long) row[3]);
    }

    /** True if the row has a {@link Ref} to fill before it is bound. */
    static boolean needsFill(Row row) {
        for (Object param : row.params()) {
            if (param instanceof Ref) {
                return true;
            }
        }
        return false;
    }

    /** The row with each {@link Ref} replaced by the stored text it stands for. */
    static Row fill(Connection connection, Row row) throws SQLException {
        Object[] params = row.params().clone();
        Text text = null;
        for (int i = 0; i < params.length; i++) {
            if (params[i] instanceof Ref ref) {
                text = text != null ? text : read(connection, ref.messageId());
                String value = text == null ? null : ref.part() == Part.CONTENT ? text.content() : text.reasoning();
                params[i] = Row.text(value);
            }
        }
        return new Row(row.write(), params);
    }

    private static Long nullableLong(long value, boolean wasNull) {
        return wasNull ? null : value;
    }
}
