package dev.agentstream.store;

/**
 * How long the writer waits between timed flushes (of every live run). The configured interval
 * while such a flush takes at most a quarter of it; longer when it takes more (many live runs):
 * four times the flush time, up to the maximum. So the writer spends at most about a quarter of its
 * time on timed flushes, and until the maximum is reached the statements per second stay flat as
 * live runs are added (each live run costs about one row a flush; a flush of N runs takes about N
 * times a row's cost, and comes every 4 N row-costs). The price is a stored answer that lags the
 * stream by up to the stretched interval. Once flushes take less than an eighth of the interval it
 * shrinks back by a quarter per flush, down to the configured one. Flush times are smoothed (an
 * exponential average, weight 1/4) so that one slow flush (a GC pause, a checkpoint) does not
 * stretch it. Starts and ends do not wait for it: the writer commits them at once.
 *
 * <p>Thread contract: the writer thread only.
 */
final class FlushPace {

    /** The interval is kept at least this many times the (smoothed) flush time. */
    static final int INTERVAL_PER_FLUSH_TIME = 4;

    private final long baseNanos;
    private final long maxNanos;
    private long intervalNanos;
    private long averageFlushNanos;

    FlushPace(long baseNanos, long maxNanos) {
        if (baseNanos <= 0 || maxNanos < baseNanos) {
            throw new IllegalArgumentException("interval " + baseNanos + " ns, max " + maxNanos
                + " ns (expected: 0 < interval <= max)");
        }
        this.baseNanos = baseNanos;
        this.maxNanos = maxNanos;
        this.intervalNanos = baseNanos;
    }

    /** The wait from one timed flush to the next. */
    long intervalNanos() {
        return intervalNanos;
    }

    /** A timed flush of every live run took {@code nanos}: adjusts the interval. */
    void flushed(long nanos) {
        averageFlushNanos += (Math.max(0, nanos) - averageFlushNanos) / 4;
        long wanted = averageFlushNanos * INTERVAL_PER_FLUSH_TIME;
        if (wanted > intervalNanos) {
            intervalNanos = Math.min(maxNanos, wanted);
        } else if (wanted * 2 < intervalNanos) {
            intervalNanos = Math.max(baseNanos, intervalNanos - intervalNanos / 4);
        }
    }
}
