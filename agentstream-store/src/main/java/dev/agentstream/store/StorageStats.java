package dev.agentstream.store;

import java.time.Duration;

/**
 * What the writer has done since {@link Storage} opened, for metrics. A snapshot; counters only grow.
 *
 * @param statements statements executed by the writer (each row of a JDBC batch counts as one)
 * @param batches JDBC batches executed
 * @param commits transactions committed
 * @param flushes group commits of run data (a flush can hold several runs)
 * @param failedFlushes group commits that failed and were retried run by run
 * @param lostRuns runs this node stopped writing because another node took them over (lease expired)
 * @param recoveredRuns abandoned runs this node marked INTERRUPTED
 * @param lastFlushLatency how long the last flush took, from draining the buffers to the commit
 * @param maxFlushLatency the longest flush so far
 * @param totalFlushLatency all flushes together, for a mean
 * @param recentFlushLatencyP99 the 99th percentile of the last 1,024 flushes
 * @param liveRuns runs being recorded now
 * @param flushInterval the writer's current wait between flushes of all live runs: the configured
 *     interval, stretched (up to the maximum) while flushes are slow
 */
public record StorageStats(
    long statements,
    long batches,
    long commits,
    long flushes,
    long failedFlushes,
    long lostRuns,
    long recoveredRuns,
    Duration lastFlushLatency,
    Duration maxFlushLatency,
    Duration totalFlushLatency,
    Duration recentFlushLatencyP99,
    int liveRuns,
    Duration flushInterval) {

    /** The mean flush latency, zero before the first flush. */
    public Duration meanFlushLatency() {
        return flushes == 0 ? Duration.ZERO : totalFlushLatency.dividedBy(flushes);
    }
}
