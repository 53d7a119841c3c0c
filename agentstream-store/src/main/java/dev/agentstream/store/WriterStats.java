package dev.agentstream.store;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** The writer's counters. Written by the writer thread, read by any thread. */
final class WriterStats {

    static final int RECENT = 1024;

    private final LongAdder statements = new LongAdder();
    private final Map<Write, LongAdder> byWrite = new EnumMap<>(Write.class);
    private final LongAdder batches = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder flushes = new LongAdder();
    private final LongAdder failedFlushes = new LongAdder();
    private final LongAdder lostRuns = new LongAdder();
    private final LongAdder recoveredRuns = new LongAdder();
    private final AtomicLong lastFlushNanos = new AtomicLong();
    private final AtomicLong maxFlushNanos = new AtomicLong();
    private final LongAdder totalFlushNanos = new LongAdder();
    /** The last {@link #RECENT} flush latencies, a ring: slot {@code flushes % RECENT} is the next. */
    private final AtomicLongArray recentFlushNanos = new AtomicLongArray(RECENT);
    private final AtomicLong flushIntervalNanos = new AtomicLong();
    private final IntSupplier liveRuns;

    WriterStats(IntSupplier liveRuns) {
        this.liveRuns = liveRuns;
        for (Write write : Write.values()) {
            byWrite.put(write, new LongAdder());
        }
    }

    void batch(Write write, int rows) {
        statements.add(rows);
        byWrite.get(write).add(rows);
        batches.increment();
    }

    /** Rows of one kind written so far, for tests. */
    long statements(Write write) {
        return byWrite.get(write).sum();
    }

    void statements(int n) {
        statements.add(n);
    }

    void commit() {
        commits.increment();
    }

    void flushed(long nanos) {
        recentFlushNanos.set((int) (flushes.sum() % RECENT), nanos);
        flushes.increment();
        lastFlushNanos.set(nanos);
        maxFlushNanos.accumulateAndGet(nanos, Math::max);
        totalFlushNanos.add(nanos);
    }

    /** The writer's current pace ({@link FlushPace}). */
    void flushInterval(long nanos) {
        flushIntervalNanos.set(nanos);
    }

    void failedFlush() {
        failedFlushes.increment();
    }

    void lostRun() {
        lostRuns.increment();
    }

    void recovered(int runs) {
        recoveredRuns.add(runs);
    }

    StorageStats snapshot() {
        return new StorageStats(statements.sum(), batches.sum(), commits.sum(), flushes.sum(), failedFlushes.sum(),
            lostRuns.sum(), recoveredRuns.sum(), Duration.ofNanos(lastFlushNanos.get()),
            Duration.ofNanos(maxFlushNanos.get()), Duration.ofNanos(totalFlushNanos.sum()),
            Duration.ofNanos(recentP99()), liveRuns.getAsInt(), Duration.ofNanos(flushIntervalNanos.get()));
    }

    private long recentP99() {
        int n = (int) Math.min(flushes.sum(), RECENT);
        if (n == 0) {
            return 0;
        }
        long[] recent = new long[n];
        for (int i = 0; i < n; i++) {
            recent[i] = recentFlushNanos.get(i);
        }
        Arrays.sort(recent);
        return recent[(int) Math.ceil(0.99 * n) - 1];
    }
}
