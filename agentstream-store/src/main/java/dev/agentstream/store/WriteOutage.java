package dev.agentstream.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Whether the writer's writes reach the database, and since when they do not: the writer notes
 * each attempt and its outcome; producers and health checks read it. While writes fail, a run's
 * start or end does not wait for its commit (it would wait in vain): its rows stay buffered and
 * are retried until the database is back.
 *
 * <p>Thread contract: the writer thread calls {@link #attempting}, {@link #succeeded} and
 * {@link #failed}; any thread reads.
 */
final class WriteOutage {

    private static final long NONE = 0;

    private volatile long attemptStartedNanos = NONE;
    private volatile long failingSinceNanos = NONE;
    private volatile CompletableFuture<Void> began = new CompletableFuture<>();

    /** A flush is about to borrow a connection. Writer thread. */
    void attempting() {
        attemptStartedNanos = nonZero(System.nanoTime());
    }

    /** The attempt committed: writes work (again). Writer thread. Returns true if they had failed. */
    boolean succeeded() {
        attemptStartedNanos = NONE;
        if (failingSinceNanos == NONE) {
            return false;
        }
        failingSinceNanos = NONE;
        began = new CompletableFuture<>();
        return true;
    }

    /** The attempt failed for want of the database. Writer thread. Returns true if writes worked until now. */
    boolean failed() {
        long started = attemptStartedNanos;
        attemptStartedNanos = NONE;
        if (failingSinceNanos != NONE) {
            return false;
        }
        failingSinceNanos = started != NONE ? started : nonZero(System.nanoTime());
        began.complete(null);
        return true;
    }

    /** Completes once writes fail (at once if they fail now). Any thread. */
    CompletableFuture<Void> began() {
        return began;
    }

    /** True while writes fail. Any thread. */
    boolean failing() {
        return failingSinceNanos != NONE;
    }

    /**
     * How long writes have not reached the database: since the first failed attempt of this outage,
     * or since the attempt still waiting for the database began; zero while they work.
     */
    Duration unavailableFor() {
        long since = failingSinceNanos;
        if (since == NONE) {
            since = attemptStartedNanos;
        }
        return since == NONE ? Duration.ZERO : Duration.ofNanos(Math.max(0, System.nanoTime() - since));
    }

    private static long nonZero(long nanos) {
        return nanos == NONE ? 1 : nanos;
    }
}
