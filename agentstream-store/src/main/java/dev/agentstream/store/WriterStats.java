package dev.agentstream.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** The writer's counters. Written by the writer thread, read by any thread. */
final class WriterStats {

    private final LongAdder statements = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder flushes = new LongAdder();
    private final LongAdder failedFlushes = new LongAdder();
    private final LongAdder lostRuns = new LongAdder();
    private final LongAdder recoveredRuns = new LongAdder();
    private final AtomicLong lastFlushNanos = new AtomicLong();
    private final AtomicLong maxFlushNanos = new AtomicLong();
    private final LongAdder totalFlushNanos = new LongAdder();
    private final IntSupplier liveRuns;

    WriterStats(IntSupplier liveRuns) {
        this.liveRuns = liveRuns;
    }

    void batch(int rows) {
        statements.add(rows);
        batches.increment();
    }

    void statements(int n) {
        statements.add(n);
    }

    void commit() {
        commits.increment();
    }

    void flushed(long nanos) {
        flushes.increment();
        lastFlushNanos.set(nanos);
        maxFlushNanos.accumulateAndGet(nanos, Math::max);
        totalFlushNanos.add(nanos);
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
            Duration.ofNanos(maxFlushNanos.get()), Duration.ofNanos(totalFlushNanos.sum()), liveRuns.getAsInt());
    }
}
