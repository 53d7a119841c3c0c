package dev.agentstream.bench.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Function;

/** Prints the soak's figures: the server cold, at rest after the warm-up, at rest after the load. */
final class SoakReport {

    private final PrintStream out;

    SoakReport(PrintStream out) {
        this.out = out;
    }

    void print(ServerFigures cold, ServerFigures start, ServerFigures end, LeakCheck check, SoakTally tally,
               double cores, String loadAverage) {
        out.printf(Locale.ROOT, "%-34s %10s %10s %10s   %s%n", "", "cold", "start", "end", "end must be");
        row("heap after GC (KiB)", cold, start, end, f -> Long.toString(f.heapKb()), "<= " + check.heapLimitKb(start));
        row("live threads", cold, start, end, f -> Integer.toString(f.threads()), "<= " + (start.threads() + check.threadSlack()));
        row("open files", cold, start, end, f -> Integer.toString(f.openFiles()), "<= " + check.fileLimit(start, end));
        row("connections on the server port", cold, start, end, f -> Integer.toString(f.connections()), "0");
        row("store pool in use/idle/waiting", cold, start, end,
            f -> number(f.poolActive()) + "/" + number(f.poolIdle()) + "/" + number(f.poolPending()), "0/any/0");
        row("runs RUNNING or PENDING", cold, start, end, f -> Long.toString(f.runsGoing()), "0");
        row("runs stored", cold, start, end, f -> Long.toString(f.storedRuns()), "= runs started");
        row("runs started (server metric)", cold, start, end, f -> number(f.runsStartedMetric()), "= runs started");
        out.printf(Locale.ROOT, "runs started (seen by clients): %d; stored by status at the end: %s%n",
            tally.runsStarted(), end.runsByStatus());
        if (start.heapKb() >= 0 && end.heapKb() >= 0) {
            out.printf(Locale.ROOT, "heap after GC, end minus start, per run of the load: %.0f bytes (%d runs; limit %d"
                    + " bytes once the growth passes %d KiB)%n", LeakCheck.heapPerRun(start, end),
                end.storedRuns() - start.storedRuns(), check.heapPerRunBytes(), LeakCheck.HEAP_NOISE_KB);
        }
        StringBuilder turns = new StringBuilder("turns passed/failed (warm-up and load):");
        for (SoakScenario scenario : SoakScenario.values()) {
            turns.append(' ').append(scenario.label()).append(' ').append(tally.passed(scenario)).append('/')
                .append(tally.failed(scenario)).append(',');
        }
        out.println(turns.substring(0, turns.length() - 1));
        out.printf(Locale.ROOT, "server CPU during the load: %.2f cores; machine load average at its end: %s%n",
            cores, loadAverage);
    }

    private void row(String name, ServerFigures cold, ServerFigures start, ServerFigures end,
                     Function<ServerFigures, String> value, String limit) {
        out.printf(Locale.ROOT, "%-34s %10s %10s %10s   %s%n", name, value.apply(cold), value.apply(start),
            value.apply(end), limit);
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "-" : Long.toString((long) value);
    }
}
