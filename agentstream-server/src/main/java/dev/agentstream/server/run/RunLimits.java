package dev.agentstream.server.run;

import dev.agentstream.server.http.ApiError;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps on the runs this node has going at once: in all, and per user, so that one user cannot take
 * the node's whole capacity. A run holds a {@link Slot} from its admission (also while it waits its
 * turn in its session) until its segment ends; a continue takes a slot again. Past a cap a start is
 * refused at once, 503 for the node and 429 for the user, both with {@code Retry-After}: nothing
 * queues, so memory does not grow with demand.
 *
 * <p>Thread contract: thread-safe; request threads acquire, the threads that see segments end release.
 */
public final class RunLimits {

    /** What a refused client is told to wait: most runs end within seconds. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final int maxActiveRuns;
    private final int maxRunsPerUser;
    private final AtomicInteger active = new AtomicInteger();
    private final Map<String, Integer> activeByUser = new ConcurrentHashMap<>();

    /**
     * @param maxActiveRuns runs this node has going at most
     * @param maxRunsPerUser runs one user has going at most
     */
    public RunLimits(int maxActiveRuns, int maxRunsPerUser) {
        if (maxActiveRuns < 1) {
            throw new IllegalArgumentException("maxActiveRuns: " + maxActiveRuns + " (expected: >= 1)");
        }
        if (maxRunsPerUser < 1) {
            throw new IllegalArgumentException("maxRunsPerUser: " + maxRunsPerUser + " (expected: >= 1)");
        }
        this.maxActiveRuns = maxActiveRuns;
        this.maxRunsPerUser = maxRunsPerUser;
    }

    /**
     * A slot for one more run of {@code userId}.
     *
     * @throws ApiError 503 when the node is at its cap, 429 when the user is at theirs
     */
    Slot acquire(String userId) {
        takeNodeSlot();
        boolean[] taken = new boolean[1];
        activeByUser.compute(userId, (user, running) -> {
            int now = running == null ? 0 : running;
            if (now >= maxRunsPerUser) {
                return running;
            }
            taken[0] = true;
            return now + 1;
        });
        if (!taken[0]) {
            active.decrementAndGet();
            throw ApiError.retryLater(429, "too_many_runs", "you have " + maxRunsPerUser
                + " runs going, the most one user may have at once (wait for one to end, or cancel one)", RETRY_AFTER);
        }
        return new Slot(userId);
    }

    private void takeNodeSlot() {
        // Compare-and-set, not increment-then-undo: a momentary overshoot would refuse starts that fit.
        int now;
        do {
            now = active.get();
            if (now >= maxActiveRuns) {
                throw ApiError.retryLater(503, "server_busy", "this server has " + maxActiveRuns
                    + " runs going, its limit (try again shortly)", RETRY_AFTER);
            }
        } while (!active.compareAndSet(now, now + 1));
    }

    /** Runs holding a slot now. */
    public int active() {
        return active.get();
    }

    /** One run's place under the caps; released once, however often {@link #release()} is called. */
    final class Slot {

        private final String userId;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(String userId) {
            this.userId = userId;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                activeByUser.computeIfPresent(userId, (user, running) -> running > 1 ? running - 1 : null);
                active.decrementAndGet();
            }
        }
    }
}
