package dev.agentstream.run;

import dev.agentstream.event.RunEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The append-only, seq-numbered event log of one run.
 *
 * <p>Thread contract: the run's producer appends (appends from several producer threads are
 * serialised by the lock, and each event must carry the next seq); any number of readers on any
 * threads read at their own position. The producer never waits for a reader: the lock is held only
 * for a few stores, with no I/O and no callbacks inside it.
 *
 * <p>Memory is bounded by {@code maxRetained} events: past it the oldest are dropped, never the
 * producer failed. A reader whose position fell out of the window gets {@link Batch#truncated()} and
 * must replay the missing part from storage.
 */
public final class RunEventLog {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final int maxRetained;
    private final ArrayList<RunEvent> events = new ArrayList<>();
    /** seq of events.get(0). */
    private long firstSeq = 1;
    private long lastSeq = 0;
    private boolean closed;

    public RunEventLog(int maxRetained) {
        if (maxRetained < 16) {
            throw new IllegalArgumentException("maxRetained: " + maxRetained + " (expected: >= 16)");
        }
        this.maxRetained = maxRetained;
    }

    public RunEventLog() {
        this(100_000);
    }

    /** A log that continues a run whose events up to {@code lastSeq} were appended elsewhere (a restart). */
    public static RunEventLog continuingAfter(long lastSeq) {
        RunEventLog log = new RunEventLog();
        log.firstSeq = lastSeq + 1;
        log.lastSeq = lastSeq;
        return log;
    }

    /**
     * Appends the next event. Called by the run's producer.
     *
     * @return false if the log is closed (the run already ended); the event is dropped
     * @throws IllegalArgumentException if the event's seq is not the next one (a producer bug)
     */
    public boolean tryAppend(RunEvent event) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            if (event.seq() != lastSeq + 1) {
                throw new IllegalArgumentException("seq: " + event.seq() + " (expected: " + (lastSeq + 1) + ")");
            }
            events.add(event);
            lastSeq = event.seq();
            if (event.isFinal()) {
                closed = true;
            }
            if (events.size() > maxRetained) {
                // Drop the older half at once so trimming stays amortised O(1) per append.
                int drop = events.size() - maxRetained / 2;
                events.subList(0, drop).clear();
                firstSeq += drop;
            }
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The seq of the newest event, 0 if none. Any thread. */
    public long lastSeq() {
        lock.lock();
        try {
            return lastSeq;
        } finally {
            lock.unlock();
        }
    }

    /** True once a final event ({@code RunCompleted}, {@code RunCancelled}, {@code RunError}) is in. Any thread. */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Every event after {@code afterSeq} that is there now, without waiting. Any thread. */
    public Batch readAfter(long afterSeq) {
        lock.lock();
        try {
            return snapshotAfter(afterSeq);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Every event after {@code afterSeq}; waits up to {@code timeout} for one if there is none yet.
     * Returns an empty batch on timeout (the SSE writer's cue for a heartbeat) and an empty closed
     * batch once the log is closed and drained. Called by reader threads.
     */
    public Batch awaitAfter(long afterSeq, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (lastSeq <= afterSeq && !closed && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            return snapshotAfter(afterSeq);
        } finally {
            lock.unlock();
        }
    }

    private Batch snapshotAfter(long afterSeq) {
        long from = Math.max(afterSeq + 1, firstSeq);
        boolean truncated = afterSeq + 1 < firstSeq;
        List<RunEvent> out = from > lastSeq
            ? List.of()
            : List.copyOf(events.subList((int) (from - firstSeq), events.size()));
        // A snapshot always reaches lastSeq, so "closed" here also means "nothing follows these".
        return new Batch(out, closed, truncated);
    }

    /**
     * What a read returned.
     *
     * @param events in seq order, possibly empty
     * @param closed the log is closed and these are its last events: nothing will follow
     * @param truncated events right after the reader's position were dropped from memory; replay them from storage
     */
    public record Batch(List<RunEvent> events, boolean closed, boolean truncated) {
    }
}
