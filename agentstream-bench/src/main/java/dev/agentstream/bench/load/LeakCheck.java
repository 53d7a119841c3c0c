package dev.agentstream.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * The soak's pass rules, comparing the server at rest after the warm-up ({@code start}) with the
 * server at rest after the load and a drain ({@code end}). Anything that grew with the work done,
 * instead of with the work going on, is a leak.
 *
 * @param heapGrowthPercent how far heap after GC may grow beyond the start figure, in percent
 * @param heapSlackKb absolute growth always allowed: a small heap's after-GC figure varies by a few MiB
 * @param heapPerRunBytes heap growth allowed per run of the load, once the growth is past the noise
 *     ({@link #HEAP_NOISE_KB}): catches memory kept per run in a short soak, before it adds up to percents
 * @param threadSlack live threads the end may have beyond the start (pools that grow on demand)
 * @param fileSlack open files the end may have beyond the start and the store pool's growth
 */
record LeakCheck(double heapGrowthPercent, long heapSlackKb, long heapPerRunBytes, int threadSlack, int fileSlack) {

    /** How much two after-GC heap figures of the server at rest differ with nothing kept (seen: under 0.6 MiB). */
    static final long HEAP_NOISE_KB = 1024;

    long heapLimitKb(ServerFigures start) {
        return (long) (start.heapKb() * (1 + heapGrowthPercent / 100)) + heapSlackKb;
    }

    /** Heap growth from start to end per run stored meanwhile, in bytes; 0 without runs. */
    static double heapPerRun(ServerFigures start, ServerFigures end) {
        long runs = end.storedRuns() - start.storedRuns();
        return runs <= 0 ? 0 : (end.heapKb() - start.heapKb()) * 1024.0 / runs;
    }

    /**
     * The open files allowed at the end: the start's, the slack, and the connections the store pool
     * opened meanwhile (a PostgreSQL pool grows on demand up to its maximum; each is a socket).
     */
    int fileLimit(ServerFigures start, ServerFigures end) {
        return start.openFiles() + fileSlack + (int) Math.max(0, end.poolConnections() - start.poolConnections());
    }

    /** What leaked, or was lost, one line each; empty when the soak passed. */
    List<String> failures(ServerFigures start, ServerFigures end, SoakTally tally) {
        List<String> failures = new ArrayList<>();
        if (start.heapKb() < 0 || end.heapKb() < 0) {
            failures.add("heap after GC could not be read (jcmd)");
        } else if (end.heapKb() > heapLimitKb(start)) {
            failures.add("heap after GC grew from " + start.heapKb() + " KiB to " + end.heapKb() + " KiB (limit "
                + heapLimitKb(start) + " KiB)");
        } else if (heapPerRun(start, end) > heapPerRunBytes && end.heapKb() - start.heapKb() > HEAP_NOISE_KB) {
            failures.add("heap after GC grew by " + Math.round(heapPerRun(start, end)) + " bytes per run of the load"
                + " (limit " + heapPerRunBytes + ")");
        }
        if (end.threads() > start.threads() + threadSlack) {
            failures.add("live threads grew from " + start.threads() + " to " + end.threads());
        }
        if (end.openFiles() > fileLimit(start, end)) {
            failures.add("open files grew from " + start.openFiles() + " to " + end.openFiles() + " (limit "
                + fileLimit(start, end) + ")");
        }
        if (end.connections() > 0) {
            failures.add(end.connections() + " connections still open on the server's port with no client left");
        }
        if (!(end.poolActive() == 0 && end.poolPending() == 0)) {
            failures.add("store pool at rest: " + end.poolActive() + " connections in use, " + end.poolPending()
                + " waiting (want 0 and 0)");
        }
        if (end.runsGoing() > 0) {
            failures.add(end.runsGoing() + " runs still RUNNING or PENDING after the drain: " + end.runsByStatus());
        }
        if (end.storedRuns() != tally.runsStarted()) {
            failures.add("runs stored " + end.storedRuns() + " != runs the clients saw start " + tally.runsStarted());
        }
        if (end.runsStartedMetric() != tally.runsStarted()) {
            failures.add("runs the server counted as started " + (long) end.runsStartedMetric()
                + " != runs the clients saw start " + tally.runsStarted());
        }
        if (tally.failedTotal() > 0) {
            failures.add(tally.failedTotal() + " scenario turns got a wrong answer (first: " + tally.firstFailures() + ")");
        }
        return failures;
    }
}
