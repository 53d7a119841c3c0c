package dev.agentstream.server.run;

import dev.agentstream.server.http.ApiError;
import java.time.Duration;

/**
 * Whether this node takes new runs (starts and continues): not while it shuts down, and not while
 * its storage has been away for longer than the grace. Refusals are 503 with {@code Retry-After}, so
 * a load balancer or client tries again, on another node if there is one. {@code /health} tells the
 * same story, so a load balancer stops sending before clients see refusals.
 *
 * <p>Thread contract: thread-safe; the flags are set by the shutdown and the storage watch, read by
 * request threads.
 */
public final class RunIntake {

    /** What a refused client is told to wait. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** What this node does with new runs now, worst first. */
    public enum State {
        /** Shutting down: running runs finish, new ones go elsewhere. */
        DRAINING,
        /** Storage has been away past the grace: nothing new could be stored. */
        STORAGE_UNAVAILABLE,
        /** Taking runs. */
        OPEN
    }

    private volatile boolean draining;
    private volatile boolean storageUnavailable;

    /** From now on new runs are refused (the node shuts down). Idempotent. */
    public void drain() {
        draining = true;
    }

    /** Storage has been away past the grace (true) or is back (false). */
    public void storageUnavailable(boolean unavailable) {
        storageUnavailable = unavailable;
    }

    public State state() {
        if (draining) {
            return State.DRAINING;
        }
        return storageUnavailable ? State.STORAGE_UNAVAILABLE : State.OPEN;
    }

    /**
     * Passes when new runs are taken.
     *
     * @throws ApiError 503 with {@code Retry-After} while draining or while storage is unavailable
     */
    void checkOpen() {
        switch (state()) {
            case DRAINING -> throw ApiError.retryLater(503, "shutting_down",
                "this server is shutting down (try again shortly; another server will take the run)", RETRY_AFTER);
            case STORAGE_UNAVAILABLE -> throw ApiError.retryLater(503, "storage_unavailable",
                "this server cannot store runs now: its database is unavailable (try again shortly)", RETRY_AFTER);
            case OPEN -> {
            }
        }
    }
}
