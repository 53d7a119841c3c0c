package dev.agentstream.store;

import dev.agentstream.event.RunEvent;
import dev.agentstream.run.PausedRun;
import java.util.List;
import java.util.Optional;

/**
 * What the server reads from storage: sessions, their runs and messages, a run's events for replay,
 * and the state of paused runs. Writes happen through the {@link Recorder} while runs stream.
 *
 * <p>Every query that lists or finds by id is scoped by nothing but its arguments: the caller (the
 * server) checks ownership through {@link StoredSession#userId()} / {@link StoredRun#userId()}.
 * Implementations are thread-safe.
 */
public interface SessionStore extends AutoCloseable {

    /** A user's sessions, newest activity first; {@code agentId} null for all agents. */
    List<StoredSession> listSessions(String userId, String agentId, int limit, int offset);

    Optional<StoredSession> findSession(String sessionId);

    /** The session's messages in conversation order. */
    List<StoredMessage> messages(String sessionId);

    /** The session's runs, oldest first. */
    List<StoredRun> runs(String sessionId);

    Optional<StoredRun> findRun(String runId);

    /** Deletes the session with its runs, messages and events. Returns false if there was none. */
    boolean deleteSession(String sessionId);

    /** The stored events of a run with seq greater than {@code afterSeq}, in seq order, for replay. */
    List<RunEvent> eventsAfter(String runId, long afterSeq);

    /** What a paused run needs to continue, if the run is paused. */
    Optional<PausedRun> pausedState(String runId);

    /**
     * Remembers which run an idempotency key started. Returns the run id already stored for this
     * user and key, or empty if {@code runId} was recorded now.
     */
    Optional<String> claimIdempotencyKey(String userId, String key, String runId);

    @Override
    void close();
}
