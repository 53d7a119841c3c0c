package dev.agentstream.run;

import dev.agentstream.event.ReasoningContentDelta;
import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunEvent;
import java.time.Duration;
import java.util.AbstractList;
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
 * for a few stores, with no I/O and no callbacks inside it, and readers are signalled only when
 * some of them wait.
 *
 * <p>Memory is bounded by {@code maxRetained} events and {@code maxRetainedBytes} (an estimate of
 * the events' size): past either the oldest are dropped, never the producer failed. A reader whose
 * position fell out of the window gets {@link Batch#truncated()} and must replay the missing part
 * from storage. {@link #release()} drops every event of an ended run once storage holds them.
 *
 * <p>Each retained event carries a small memo that readers share: a wire format that encodes an
 * event the same way for every reader computes it once ({@link Entry#memo}).
 */
public final class RunEventLog {

    /** How many stateless wire forms an event can keep at once (see {@link MemoKey}). */
    private static final int MEMO_SLOTS = 4;
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_MEMO = new java.util.concurrent.atomic.AtomicInteger();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final int maxRetained;
    private final long maxRetainedBytes;
    private final ArrayList<Entry> entries = new ArrayList<>();
    /** seq of entries.get(0). */
    private long firstSeq = 1;
    private long lastSeq = 0;
    private long retainedBytes;
    private int waiting;
    private boolean closed;

    public RunEventLog(int maxRetained, long maxRetainedBytes) {
        if (maxRetained < 16) {
            throw new IllegalArgumentException("maxRetained: " + maxRetained + " (expected: >= 16)");
        }
        if (maxRetainedBytes < 4096) {
            throw new IllegalArgumentException("maxRetainedBytes: " + maxRetainedBytes + " (expected: >= 4096)");
        }
        this.maxRetained = maxRetained;
        this.maxRetainedBytes = maxRetainedBytes;
    }

    public RunEventLog(int maxRetained) {
        this(maxRetained, 8L << 20);
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

    /** A key for one stateless wire form of events; allocate one per format, once (at most four in a process). */
    public static <T> MemoKey<T> memoKey(String name) {
        int slot = NEXT_MEMO.getAndIncrement();
        if (slot >= MEMO_SLOTS) {
            throw new IllegalStateException("more than " + MEMO_SLOTS + " memo keys: " + name);
        }
        return new MemoKey<>(slot, name);
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
            Entry entry = new Entry(event);
            entries.add(entry);
            retainedBytes += entry.bytes;
            lastSeq = event.seq();
            if (event.isFinal()) {
                closed = true;
            }
            if (entries.size() > maxRetained || retainedBytes > maxRetainedBytes) {
                dropOldestHalf();
            }
            if (waiting > 0) {
                changed.signalAll();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the older half at once, so trimming stays amortised O(1) per append. */
    private void dropOldestHalf() {
        int drop = Math.max(1, entries.size() / 2);
        List<Entry> dropped = entries.subList(0, drop);
        for (Entry entry : dropped) {
            retainedBytes -= entry.bytes;
        }
        dropped.clear();
        firstSeq += drop;
    }

    /**
     * Drops every retained event: for an ended run whose events storage holds, so its memory goes
     * now rather than when the run is forgotten. Readers after this get {@link Batch#truncated()}
     * for any position before the last seq. Any thread.
     */
    public void release() {
        lock.lock();
        try {
            entries.clear();
            entries.trimToSize();
            retainedBytes = 0;
            firstSeq = lastSeq + 1;
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
            if (lastSeq <= afterSeq && !closed && nanos > 0) {
                waiting++;
                try {
                    while (lastSeq <= afterSeq && !closed && nanos > 0) {
                        nanos = changed.awaitNanos(nanos);
                    }
                } finally {
                    waiting--;
                }
            }
            return snapshotAfter(afterSeq);
        } finally {
            lock.unlock();
        }
    }

    private Batch snapshotAfter(long afterSeq) {
        long from = Math.max(afterSeq + 1, firstSeq);
        boolean truncated = afterSeq + 1 < firstSeq;
        List<Entry> out = from > lastSeq
            ? List.of()
            : List.copyOf(entries.subList((int) (from - firstSeq), entries.size()));
        // A snapshot always reaches lastSeq, so "closed" here also means "nothing follows these".
        return new Batch(out, closed, truncated);
    }

    /**
     * A rough size of an event in memory: its text dominates, the rest is a few fixed fields. Also
     * what other buffers of events (the store's unwritten rows) count against their bounds.
     */
    public static long estimateBytes(RunEvent event) {
        return 160 + 2L * switch (event) {
            case RunContent e -> length(e.content());
            case ReasoningContentDelta e -> length(e.reasoningContent());
            case RunCompleted e -> length(e.content()) + length(e.reasoningContent());
            default -> 256;
        };
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }

    /** Names one stateless wire form that readers share through {@link Entry#memo}. */
    public record MemoKey<T>(int slot, String name) {
    }

    /**
     * One retained event and the wire forms readers computed for it. Thread-safe: readers racing to
     * compute the same form may both compute it; either result is kept, and they are equal.
     */
    public static final class Entry {

        private final RunEvent event;
        private final long bytes;
        private volatile Object[] memos;

        Entry(RunEvent event) {
            this.event = event;
            this.bytes = estimateBytes(event);
        }

        /** An entry for an event read from elsewhere (storage): its memo serves whoever holds it. */
        public static Entry of(RunEvent event) {
            return new Entry(event);
        }

        public RunEvent event() {
            return event;
        }

        /** The wire form {@code key} of this event: computed by {@code compute} the first time, shared after. */
        public <T> T memo(MemoKey<T> key, java.util.function.Function<RunEvent, T> compute) {
            return memo(key, compute, true);
        }

        /**
         * The wire form {@code key} of this event if a reader kept it, else computed, and kept for
         * the next reader only if {@code keep}: a run with one reader would only pay memory for it.
         */
        @SuppressWarnings("unchecked")
        public <T> T memo(MemoKey<T> key, java.util.function.Function<RunEvent, T> compute, boolean keep) {
            Object[] current = memos;
            if (current != null && current[key.slot()] != null) {
                return (T) current[key.slot()];
            }
            T value = compute.apply(event);
            if (!keep) {
                return value;
            }
            Object[] next = current == null ? new Object[MEMO_SLOTS] : current.clone();
            next[key.slot()] = value;
            memos = next;
            return value;
        }
    }

    /**
     * What a read returned.
     *
     * <p>{@code closed}: the log is closed and these are its last events, nothing will follow.
     * {@code truncated}: events right after the reader's position were dropped from memory; replay
     * them from storage.
     */
    public static final class Batch {

        private final List<Entry> entries;
        private final boolean closed;
        private final boolean truncated;

        Batch(List<Entry> entries, boolean closed, boolean truncated) {
            this.entries = entries;
            this.closed = closed;
            this.truncated = truncated;
        }

        /** The events with their shared memos, in seq order, possibly empty. */
        public List<Entry> entries() {
            return entries;
        }

        /** The events in seq order, possibly empty (a view; no copy). */
        public List<RunEvent> events() {
            return new AbstractList<>() {
                @Override
                public RunEvent get(int index) {
                    return entries.get(index).event;
                }

                @Override
                public int size() {
                    return entries.size();
                }
            };
        }

        public boolean closed() {
            return closed;
        }

        public boolean truncated() {
            return truncated;
        }
    }
}
