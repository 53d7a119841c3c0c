package dev.agentstream.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.agentstream.event.EventJson;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.run.PausedRun;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@link SessionStore} on JDBC. Reads borrow a pooled connection on the caller's thread; writes go
 * to the writer as jobs, so that SQLite sees one writer. Thread-safe.
 */
final class JdbcSessionStore implements SessionStore {

    private static final String SESSION_COLUMNS = "session_id, user_id, agent_id, title, created_at, updated_at";
    /** A run's rows never overlap in seq, so its last row holds its last event. */
    private static final String LAST_SEQ =
        "(SELECT e.last_seq FROM run_events e WHERE e.run_id = runs.run_id ORDER BY e.seq DESC LIMIT 1)";
    private static final String RUN_COLUMNS = """
        run_id, session_id, parent_run_id, agent_id, user_id, user_message_id, assistant_message_id, status, started_at,
        completed_at, error, cancel_reason, input_tokens, output_tokens, total_tokens, owner_node, lease_expires_at,
        """ + LAST_SEQ + " AS last_seq";
    private static final String MESSAGE_COLUMNS = """
        m.message_id, m.session_id, m.run_id, m.role, m.content, m.reasoning_content, m.tool_call_id, m.tool_name,
        m.tool_arguments, m.created_at, m.completed_at, m.interrupted, m.error, m.content_seq, r.status AS run_status""";

    private final Database database;
    private final Writer writer;
    private final Clock clock;
    private final Duration idempotencyKeyTtl;
    private final Duration timeout;
    private final Runnable onClose;

    JdbcSessionStore(Database database, Writer writer, StorageOptions options, Runnable onClose) {
        this.database = database;
        this.writer = writer;
        this.clock = options.clock();
        this.idempotencyKeyTtl = options.idempotencyKeyTtl();
        this.timeout = options.syncTimeout();
        this.onClose = onClose;
    }

    @Override
    public List<StoredSession> listSessions(String userId, String agentId, int limit, int offset) {
        requireNonNull(userId, "userId");
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit, offset: " + limit + ", " + offset + " (expected: >= 0)");
        }
        String sql = "SELECT " + SESSION_COLUMNS + " FROM sessions WHERE user_id = ?"
            + (agentId == null ? "" : " AND agent_id = ?") + " ORDER BY updated_at DESC, session_id LIMIT ? OFFSET ?";
        Object[] params = agentId == null
            ? new Object[] {userId, limit, offset}
            : new Object[] {userId, agentId, limit, offset};
        return read("listing sessions", c -> Jdbc.query(c, sql, JdbcSessionStore::session, params));
    }

    @Override
    public Optional<StoredSession> findSession(String sessionId) {
        requireNonNull(sessionId, "sessionId");
        return read("finding a session", c -> Jdbc.first(c,
            "SELECT " + SESSION_COLUMNS + " FROM sessions WHERE session_id = ?", JdbcSessionStore::session, sessionId));
    }

    @Override
    public List<StoredMessage> messages(String sessionId) {
        requireNonNull(sessionId, "sessionId");
        return read("reading messages", c -> {
            List<MessageRow> rows = Jdbc.query(c, "SELECT " + MESSAGE_COLUMNS + """
                 FROM messages m JOIN runs r ON r.run_id = m.run_id
                WHERE m.session_id = ?
                ORDER BY r.session_seq, r.started_at, r.run_id, m.ordinal""", JdbcSessionStore::messageRow, sessionId);
            List<StoredMessage> messages = new ArrayList<>(rows.size());
            for (MessageRow row : rows) {
                messages.add(row.streamingAfter == null ? row.message : withFlushedText(c, row));
            }
            return messages;
        });
    }

    @Override
    public List<StoredRun> runs(String sessionId) {
        requireNonNull(sessionId, "sessionId");
        return read("reading runs", c -> Jdbc.query(c, "SELECT " + RUN_COLUMNS
            + " FROM runs WHERE session_id = ? ORDER BY session_seq, started_at, run_id", JdbcSessionStore::run, sessionId));
    }

    @Override
    public Optional<StoredRun> findRun(String runId) {
        requireNonNull(runId, "runId");
        return read("finding a run", c -> Jdbc.first(c, "SELECT " + RUN_COLUMNS + " FROM runs WHERE run_id = ?",
            JdbcSessionStore::run, runId));
    }

    @Override
    public boolean deleteSession(String sessionId) {
        requireNonNull(sessionId, "sessionId");
        return await("deleting a session", writer.submit("deleting a session", c -> {
            Jdbc.update(c, "DELETE FROM run_events WHERE run_id IN (SELECT run_id FROM runs WHERE session_id = ?)",
                sessionId);
            Jdbc.update(c, "DELETE FROM messages WHERE session_id = ?", sessionId);
            Jdbc.update(c, "DELETE FROM runs WHERE session_id = ?", sessionId);
            return Jdbc.update(c, "DELETE FROM sessions WHERE session_id = ?", sessionId) > 0;
        }));
    }

    @Override
    public boolean importSession(String sessionId, String userId, String agentId, List<ImportedTurn> turns) {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(userId, "userId");
        requireNonNull(agentId, "agentId");
        List<ImportedTurn> copy = List.copyOf(turns);
        long now = clock.millis();
        return await("importing a session", writer.submit("importing a session", c -> {
            if (Jdbc.first(c, "SELECT 1 FROM sessions WHERE session_id = ?", rs -> 1, sessionId).isPresent()) {
                return false;
            }
            String title = copy.isEmpty() ? null : LiveRun.title(copy.getFirst().userMessage());
            Jdbc.update(c, Write.UPSERT_SESSION.sql, sessionId, userId, agentId, Row.text(title), now, now);
            for (int i = 0; i < copy.size(); i++) {
                importTurn(c, sessionId, userId, agentId, i + 1, copy.get(i), now - copy.size() + i);
            }
            return true;
        }));
    }

    /** One imported turn as a completed run: its user message (ordinal 0) and its answer (ordinal 1). */
    private static void importTurn(Connection c, String sessionId, String userId, String agentId, int sessionSeq,
                                   ImportedTurn turn, long atMillis) throws SQLException {
        String runId = UUID.randomUUID().toString();
        String userMessageId = UUID.randomUUID().toString();
        String answerId = UUID.randomUUID().toString();
        Jdbc.update(c, """
            INSERT INTO runs (run_id, session_id, session_seq, stream_id, agent_id, user_id, user_message_id,
                              assistant_message_id, status, started_at, completed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'COMPLETED', ?, ?)""", runId, sessionId, sessionSeq, runId, agentId, userId,
            userMessageId, answerId, atMillis, atMillis);
        String insertMessage = """
            INSERT INTO messages (message_id, session_id, run_id, ordinal, role, content, created_at, completed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
        Jdbc.update(c, insertMessage, userMessageId, sessionId, runId, 0, "user", Row.text(turn.userMessage()), atMillis,
            atMillis);
        Jdbc.update(c, insertMessage, answerId, sessionId, runId, 1, "assistant", Row.text(turn.answer()), atMillis,
            atMillis);
    }

    /**
     * {@inheritDoc} A top-level run's events are its whole stream: for a team run, also its members'
     * events, numbered together. A member run's are its own.
     */
    @Override
    public List<RunEvent> eventsAfter(String runId, long afterSeq) {
        requireNonNull(runId, "runId");
        List<String[]> rows = read("reading events", c -> Jdbc.query(c, """
            SELECT event_type, payload FROM run_events
             WHERE (stream_id = ? OR run_id = ?) AND last_seq > ?""",
            rs -> new String[] {rs.getString(1), rs.getString(2)}, runId, runId, afterSeq));
        List<RunEvent> events = new ArrayList<>();
        for (String[] row : rows) {
            for (RunEvent event : EventRows.expand(row[0], row[1])) {
                if (event.seq() > afterSeq) {
                    events.add(event);
                }
            }
        }
        // Members streaming at once interleave their batches: order by seq after expanding.
        events.sort(Comparator.comparingLong(RunEvent::seq));
        return events;
    }

    /** For a team, with the states of its members that paused with it (and theirs, for a team in the team). */
    @Override
    public Optional<PausedRun> pausedState(String runId) {
        requireNonNull(runId, "runId");
        return read("reading a paused run", c -> {
            Optional<String> json = Jdbc.first(c,
                "SELECT paused_state FROM runs WHERE run_id = ? AND status = 'PAUSED'", rs -> rs.getString(1), runId);
            return json.isEmpty() ? Optional.empty() : Optional.of(withPausedMembers(c, pausedRun(json.get())));
        });
    }

    private static PausedRun withPausedMembers(Connection c, PausedRun state) throws SQLException {
        List<String> memberStates = Jdbc.query(c, """
            SELECT paused_state FROM runs
            WHERE parent_run_id = ? AND status = 'PAUSED' AND delegation_call_id IS NOT NULL
            ORDER BY started_at, run_id""", rs -> rs.getString(1), state.run().runId());
        if (memberStates.isEmpty()) {
            return state;
        }
        List<PausedRun> members = new ArrayList<>();
        for (String json : memberStates) {
            members.add(withPausedMembers(c, pausedRun(json)));
        }
        return state.withMembers(members);
    }

    @Override
    public Optional<String> claimIdempotencyKey(String userId, String key, String runId) {
        requireNonNull(userId, "userId");
        requireNonNull(key, "key");
        requireNonNull(runId, "runId");
        long now = clock.millis();
        long expiredBefore = now - idempotencyKeyTtl.toMillis();
        String holder = await("claiming an idempotency key", writer.submit("claiming an idempotency key", c -> {
            Jdbc.update(c, """
                INSERT INTO idempotency_keys (user_id, idem_key, run_id, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id, idem_key) DO UPDATE SET run_id = excluded.run_id, created_at = excluded.created_at
                WHERE idempotency_keys.created_at < ?""", userId, key, runId, now, expiredBefore);
            return Jdbc.first(c, "SELECT run_id FROM idempotency_keys WHERE user_id = ? AND idem_key = ?",
                rs -> rs.getString(1), userId, key).orElseThrow();
        }));
        return holder.equals(runId) ? Optional.empty() : Optional.of(holder);
    }

    /** Where a stored run's rows stand, to go on recording it in this process. Any thread. */
    Optional<LiveRun.StoredProgress> progress(String runId) {
        return read("reading a run's progress", c -> Jdbc.first(c, """
            SELECT runs.stream_id, runs.team, runs.user_message_id, runs.assistant_message_id,
                   (SELECT MAX(ordinal) FROM messages WHERE run_id = runs.run_id) AS max_ordinal,
            """ + LAST_SEQ + """
              FROM runs WHERE runs.run_id = ?""", rs -> new LiveRun.StoredProgress(rs.getString(1), rs.getBoolean(2),
            rs.getString(3), rs.getString(4), rs.getInt(5), rs.getLong(6)), runId));
    }

    /** The top-level run of the stored run's stream. Any thread. */
    Optional<String> streamOf(String runId) {
        return read("reading a run's stream", c -> Jdbc.first(c, "SELECT stream_id FROM runs WHERE run_id = ?",
            rs -> rs.getString(1), runId));
    }

    @Override
    public void close() {
        onClose.run();
    }

    private <T> T read(String what, SqlWork<T> work) {
        try (Connection connection = database.connection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StorageException(what + " failed: " + Writer.describe(e), e);
        }
    }

    private <T> T await(String what, CompletableFuture<T> result) {
        return Await.result(what, result, timeout);
    }

    static PausedRun pausedRun(String json) {
        try {
            return EventJson.mapper().readValue(json, PausedRun.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StoredSession session(ResultSet rs) throws SQLException {
        return new StoredSession(rs.getString("session_id"), rs.getString("user_id"), rs.getString("agent_id"),
            rs.getString("title"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }

    private static StoredRun run(ResultSet rs) throws SQLException {
        return new StoredRun(rs.getString("run_id"), rs.getString("session_id"), rs.getString("parent_run_id"),
            rs.getString("agent_id"), rs.getString("user_id"), rs.getString("user_message_id"),
            rs.getString("assistant_message_id"), RunStatus.valueOf(rs.getString("status")),
            Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "completed_at"), rs.getString("error"),
            rs.getString("cancel_reason"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
            rs.getLong("total_tokens"), rs.getString("owner_node"), Jdbc.instant(rs, "lease_expires_at"),
            rs.getLong("last_seq"));
    }

    /**
     * A message as its row holds it, and for an answer still streaming the seq its columns stand at.
     * Only a RUNNING run's answer can lack deltas: every end of a segment writes the whole text.
     */
    private static MessageRow messageRow(ResultSet rs) throws SQLException {
        long contentSeq = rs.getLong("content_seq");
        boolean streaming = !rs.wasNull() && RunStatus.RUNNING.name().equals(rs.getString("run_status"));
        return new MessageRow(message(rs), streaming ? contentSeq : null);
    }

    /** The message with the deltas its run flushed since the message's last whole write. */
    private static StoredMessage withFlushedText(Connection c, MessageRow row) throws SQLException {
        StoredMessage m = row.message;
        FlushedAnswer.Text text = FlushedAnswer.join(c, m.runId(), m.content(), m.reasoningContent(), row.streamingAfter);
        return new StoredMessage(m.messageId(), m.sessionId(), m.runId(), m.role(), text.content(), text.reasoning(),
            m.toolCallId(), m.toolName(), m.toolArguments(), m.createdAt(), m.completedAt(), m.interrupted(), m.error());
    }

    private record MessageRow(StoredMessage message, Long streamingAfter) {
    }

    private static StoredMessage message(ResultSet rs) throws SQLException {
        return new StoredMessage(rs.getString("message_id"), rs.getString("session_id"), rs.getString("run_id"),
            rs.getString("role"), rs.getString("content"), rs.getString("reasoning_content"),
            rs.getString("tool_call_id"), rs.getString("tool_name"), rs.getString("tool_arguments"),
            Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "completed_at"), rs.getBoolean("interrupted"),
            rs.getString("error"));
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
