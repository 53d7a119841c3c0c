package dev.agentstream.store;

import dev.agentstream.event.RunEvent;
import dev.agentstream.run.EventReplay;
import dev.agentstream.run.PausedRun;
import java.util.List;
import java.util.Optional;

/**
 * What the server reads from storage: sessions, their runs and messages, a run's events for replay,
 * and the state of paused runs. Runs are written by the {@link Recorder} while they stream, so a
 * running run's rows lag what its readers saw by at most one flush interval (the configured one, or
 * up to the maximum it stretches to while the writer is busy; an answer still streaming is read as
 * its message plus the deltas flushed since); its start and its end are stored before any reader
 * sees them.
 *
 * <p>Every query that lists or finds by id is scoped by nothing but its arguments: the caller (the
 * server) checks ownership through {@link StoredSession#userId()} / {@link StoredRun#userId()}.
 *
 * <p>Thread contract: thread-safe. Reads run on the caller's thread with a pooled connection;
 * {@link #deleteSession} and {@link #claimIdempotencyKey} wait for the storage's writer thread
 * (at most the sync timeout). Failures are {@link StorageException}s.
 */
public interface SessionStore extends AutoCloseable, EventReplay {

    /** A user's sessions, newest activity first; {@code agentId} null for all agents and teams. */
    List<StoredSession> listSessions(String userId, String agentId, int limit, int offset);

    Optional<StoredSession> findSession(String sessionId);

    /**
     * The session's messages in conversation order: run by run as they started, and within a run
     * the user's message, the answer, then the tool calls in the order they were made. The runs of
     * a team's members are included; their {@link StoredMessage#runId()} names a run with a
     * {@link StoredRun#parentRunId()}.
     */
    List<StoredMessage> messages(String sessionId);

    /** The session's runs, oldest first (a team's member runs after their team run). */
    List<StoredRun> runs(String sessionId);

    Optional<StoredRun> findRun(String runId);

    /**
     * Creates a session from a conversation held elsewhere, one completed run per turn (no events),
     * so that the session's next run gets it as history. Writes nothing and returns false if the
     * session exists already.
     */
    boolean importSession(String sessionId, String userId, String agentId, List<ImportedTurn> turns);

    /** Deletes the session with its runs, messages and events. Returns false if there was none. */
    boolean deleteSession(String sessionId);

    /**
     * The stored events with seq greater than {@code afterSeq}, in seq order, exactly as readers saw
     * them (coalesced content comes back as the individual deltas, with their seq numbers). For a
     * top-level run this is its whole stream: for a team run, its members' events too, numbered
     * together; for a member run, its own events. A run whose node died ends with the
     * {@code RunCancelled} (reason {@code lease_expired}) its recovery appended. The runtime's
     * {@link EventReplay}: readers behind a run's in-memory log get its dropped head from here.
     */
    @Override
    List<RunEvent> eventsAfter(String runId, long afterSeq);

    /** What a paused run needs to continue, if the run is paused. */
    Optional<PausedRun> pausedState(String runId);

    /**
     * Remembers which run an idempotency key started. Returns the run id already stored for this
     * user and key, or empty if {@code runId} was recorded now (or was the one stored). A key older
     * than the configured time to live is claimed anew.
     */
    Optional<String> claimIdempotencyKey(String userId, String key, String runId);

    /** Closes the {@link Storage} this store belongs to. Idempotent. */
    @Override
    void close();
}
