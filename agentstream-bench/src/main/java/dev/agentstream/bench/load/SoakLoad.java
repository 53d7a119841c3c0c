package dev.agentstream.bench.load;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The soak: mixed load on a running agentstream server for a while, then a check that nothing
 * leaked. Timeline: figures of the fresh server ({@code cold}); a warm-up of the same load; rest;
 * figures ({@code start}); the load for {@code duration}; rest; figures ({@code end}); the verdict
 * of {@link LeakCheck}. Resting is waiting until no run is going (at most {@code drain}), then
 * {@code settle} more, so that ended runs have left the server's memory (soak.sh sets the run
 * retention to 5 s; the server forgets a run within two retentions of its end).
 *
 * <p>Usage: {@code SoakLoad --url http://127.0.0.1:PORT --pid PID --db JDBC_URL [--duration 30m]
 * [--warmup 2m] [--clients 12] [--drain 20s] [--settle 15s] [--clk-tck 100] [--heap-growth-pct 10]
 * [--heap-slack-mb 2] [--heap-per-run-bytes 1024] [--thread-slack 2] [--file-slack 2]}. Needs the server jar on the class path
 * for the JDBC drivers. Exits 1 when {@link LeakCheck} finds anything.
 */
public final class SoakLoad {

    private final URI base;
    private final InetSocketAddress address;
    private final ProcessProbe probe;
    private final SocketTable sockets;
    private final StoredRuns runs;

    private SoakLoad(URI base, long pid, int clockTicks, String jdbcUrl) {
        this.base = base;
        this.address = new InetSocketAddress(base.getHost(), base.getPort());
        this.probe = new ProcessProbe(pid, clockTicks);
        this.sockets = new SocketTable(pid, base.getPort());
        this.runs = new StoredRuns(jdbcUrl);
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Duration duration = DurationArg.parse("duration", args.get("duration", "30m"));
        Duration warmup = DurationArg.parse("warmup", args.get("warmup",
            Math.clamp(duration.toSeconds() / 10, 10, 120) + "s"));
        Duration drain = DurationArg.parse("drain", args.get("drain", "20s"));
        Duration settle = DurationArg.parse("settle", args.get("settle", "15s"));
        int clients = args.integer("clients", 12);
        LeakCheck check = new LeakCheck(args.decimal("heap-growth-pct", 10), args.longValue("heap-slack-mb", 2) * 1024,
            args.longValue("heap-per-run-bytes", 1024), args.integer("thread-slack", 2), args.integer("file-slack", 2));
        SoakLoad soak = new SoakLoad(URI.create(args.required("url")), args.longValue("pid", 0),
            args.integer("clk-tck", 100), args.required("db"));

        SoakTally tally = new SoakTally();
        SoakClients load = new SoakClients(soak.address, clients, tally);
        PrintStream out = System.out;
        ServerFigures cold = soak.figures();
        out.printf("soak: %d clients, warm-up %s, load %s%n", clients, warmup, duration);
        load.run(warmup);
        soak.rest(drain, settle);
        ServerFigures start = soak.figures();
        long cpuStart = soak.probe.cpuMicros();
        long wallStart = System.nanoTime();
        load.run(duration);
        double cores = (soak.probe.cpuMicros() - cpuStart) / 1e3 / ((System.nanoTime() - wallStart) / 1e6);
        String loadAverage = ProcessProbe.loadAverage();
        soak.rest(drain, settle);
        ServerFigures end = soak.figures();

        List<String> failures = check.failures(start, end, tally);
        new SoakReport(out).print(cold, start, end, check, tally, cores, loadAverage);
        failures.forEach(f -> out.println("LEAK/LOSS: " + f));
        out.println(failures.isEmpty() ? "soak: OK" : "soak: FAILED");
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    private ServerFigures figures() throws Exception {
        return ServerFigures.take(probe, sockets, new PrometheusText(get("/metrics")), runs);
    }

    /** Waits until no run is going, by the server's own count and by the database, at most {@code drain}; then {@code settle}. */
    private void rest(Duration drain, Duration settle) throws Exception {
        long until = System.nanoTime() + drain.toNanos();
        while (System.nanoTime() < until && !(activeRuns() == 0 && runsGoingInStore() == 0)) {
            Thread.sleep(250);
        }
        Thread.sleep(settle);
    }

    private double activeRuns() throws Exception {
        return new PrometheusText(get("/metrics")).value("agentstream_runs_active", "");
    }

    private long runsGoingInStore() throws Exception {
        Map<String, Long> counts = runs.byStatus();
        return counts.getOrDefault("RUNNING", 0L) + counts.getOrDefault("PENDING", 0L);
    }

    private String get(String path) throws Exception {
        try (SseExchange x = SseExchange.send(address, "GET", path, Map.of(), null,
                System.nanoTime() + Duration.ofSeconds(30).toNanos())) {
            if (x.status() != 200) {
                throw new IllegalStateException("GET " + base.resolve(path) + ": HTTP " + x.status());
            }
            return x.body();
        }
    }
}
