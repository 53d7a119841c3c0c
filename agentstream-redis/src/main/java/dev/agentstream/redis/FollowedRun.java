package dev.agentstream.redis;

import dev.agentstream.event.RunEvent;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The newest events of one run that this node follows, as its owner publishes them, shared by every
 * reader of the run on this node. It keeps a short window of contiguous events: a reader at the head
 * (the usual case) takes what follows its position from here; one further behind, or behind a hole
 * (an event the owner could not publish), reads the run's Redis stream instead.
 *
 * <p>The {@code epoch} grows each time what came through the subscription cannot be trusted to be
 * complete (the subscription was cut and came back): readers then read the stream once more.
 *
 * <p>Thread-safe: messages arrive on Lettuce's event loop, readers wait on their virtual threads.
 */
final class FollowedRun {

    /** Events kept, at most: enough for a reader that is a few seconds behind a fast run. */
    static final int WINDOW = 128;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<RunEvent> window = new ArrayDeque<>(WINDOW);
    /** Replaced when the subscription is asked for again (it failed, or the connection came back). */
    private volatile CompletableFuture<Void> subscribed = new CompletableFuture<>();
    /** Readers of this node following the run; guarded by the followers' map (its compute). */
    int followers;
    private long epoch;

    /** Completes when Redis confirmed the subscription: events published from then on arrive here. */
    CompletableFuture<Void> subscribed() {
        return subscribed;
    }

    void subscribing(CompletableFuture<Void> confirmation) {
        subscribed = confirmation;
    }

    /** Adds events as published, oldest first; a hole in seq starts the window afresh. */
    void add(List<RunEvent> published) {
        lock.lock();
        try {
            for (RunEvent event : published) {
                RunEvent newest = window.peekLast();
                if (newest != null && event.seq() <= newest.seq()) {
                    continue;
                }
                if (newest != null && event.seq() != newest.seq() + 1) {
                    window.clear();
                }
                if (window.size() == WINDOW) {
                    window.removeFirst();
                }
                window.addLast(event);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The subscription may have missed messages: every reader reads the stream again. */
    void resync() {
        lock.lock();
        try {
            window.clear();
            epoch++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long epoch() {
        lock.lock();
        try {
            return epoch;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Up to {@code max} events after {@code afterSeq}, waiting up to {@code wait} for the first while
     * the epoch stays {@code sinceEpoch}. Empty when none came; {@code null} when the window cannot
     * tell (it starts past {@code afterSeq + 1}, or the epoch moved): read the stream.
     */
    List<RunEvent> awaitAfter(long afterSeq, int max, Duration wait, long sinceEpoch) throws InterruptedException {
        long nanos = wait.toNanos();
        lock.lock();
        try {
            while (epoch == sinceEpoch && (window.isEmpty() || window.peekLast().seq() <= afterSeq)) {
                if (nanos <= 0) {
                    return List.of();
                }
                nanos = changed.awaitNanos(nanos);
            }
            if (epoch != sinceEpoch || window.peekFirst().seq() > afterSeq + 1) {
                return null;
            }
            List<RunEvent> out = new ArrayList<>(Math.min(max, window.size()));
            for (RunEvent event : window) {
                if (event.seq() > afterSeq) {
                    out.add(event);
                    if (out.size() == max) {
                        break;
                    }
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the subscription's confirmation, at most {@code timeout}. */
    void awaitSubscribed(Duration timeout) throws InterruptedException {
        try {
            subscribed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new RedisException("subscribing to the run's live events failed: " + e, e);
        }
    }
}
