package dev.agentstream.store;

import dev.agentstream.Agent;
import dev.agentstream.AgentRuntime;
import dev.agentstream.RunRequest;
import dev.agentstream.event.EventHeader;
import dev.agentstream.event.Metrics;
import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunContentCompleted;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStarted;
import dev.agentstream.event.ToolCallCompleted;
import dev.agentstream.event.ToolCallStarted;
import dev.agentstream.event.ToolExecution;
import dev.agentstream.run.RunInfo;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import dev.langchain4j.agent.tool.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What incremental storage costs, on SQLite and on PostgreSQL, at a 200 ms flush (stretching up to
 * a maximum while the writer is busy). Not a test: run it by hand (see docs/BENCHMARKS.md) and copy
 * its tables there.
 *
 * <p>Part 1, statements per run: real agents through the testkit's scripted OpenAI server, one run
 * at a time, counting what the writer executes. Part 2, capacity: many concurrent synthetic runs
 * feed the recorder exactly the events core emits (a token every 20 ms, one tool call, start and
 * end committed before they return) while the writer keeps up or does not.
 *
 * <p>Usage: {@code StorageBenchmark [sqlite|postgresql|both] [seconds per capacity step] [max runs]
 * [max flush interval ms, default 1000; 200 keeps it fixed]}; the capacity steps go 250, 375, 500,
 * 750, 1,000, 1,500, … and stop at the first that does not keep up.
 */
public final class StorageBenchmark {

    private static final Duration FLUSH = Duration.ofMillis(200);
    private static final long TOKEN_MILLIS = 20;
    /** A synthetic run: 500 tokens, one every 20 ms, and a 200 ms tool call halfway. */
    private static final long RUN_MILLIS = 10_200;
    /** The same room for the commit as StreamingLagTest allows. */
    private static final Duration LAG_ALLOWANCE = Duration.ofMillis(150);
    private static Duration maxFlush = Duration.ofSeconds(1);

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "both";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int maxRuns = args.length > 2 ? Integer.parseInt(args[2]) : 8000;
        maxFlush = Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 1000);
        for (String kind : List.of("sqlite", "postgresql")) {
            if (which.equals("both") || which.equals(kind)) {
                System.out.println("## " + kind);
                statementsPerRun(kind);
                capacity(kind, seconds, maxRuns);
            }
        }
    }

    // ---- part 1 -----------------------------------------------------------------------------------

    /** A quick tool for the benchmark's agents. */
    public static final class Clock {
        @Tool("The time")
        public String now() {
            return "12:00";
        }
    }

    private record Shape(String name, double seconds, int tokensPerSecond, int toolCalls) {
    }

    private static void statementsPerRun(String kind) throws Exception {
        List<Shape> shapes = List.of(
            new Shape("short answer, no tool", 1, 40, 0),
            new Shape("5 s answer, no tool", 5, 50, 0),
            new Shape("5 s answer, 1 tool call", 5, 50, 1),
            new Shape("5 s answer, 1 tool call, 4x the tokens", 5, 200, 1),
            new Shape("5 s answer, 3 tool calls", 5, 50, 3),
            new Shape("20 s answer, 1 tool call", 20, 50, 1));
        System.out.println();
        System.out.println("| run | tokens | statements | commits |");
        System.out.println("|---|---|---|---|");
        try (Database db = Database.fresh(kind);
             Upstream upstream = new Upstream();
             Storage storage = Storage.open(db.options().build());
             AgentRuntime runtime = AgentRuntime.builder().observer(storage.recorder()).history(storage.recorder()).build()) {
            Agent agent = upstream.agent(new Clock());
            for (Shape shape : shapes) {
                int tokens = (int) (shape.seconds * shape.tokensPerSecond);
                Duration delay = Duration.ofNanos(1_000_000_000L / shape.tokensPerSecond);
                int perSegment = tokens / (shape.toolCalls + 1);
                for (int i = 0; i < shape.toolCalls; i++) {
                    upstream.then(Script.builder().text(words(perSegment)).toolCalls(ToolCall.of("call-" + i, "now", "{}"))
                        .chunkDelay(delay).build());
                }
                upstream.then(Script.text(words(tokens - perSegment * shape.toolCalls)).chunkDelay(delay));
                StorageStats before = storage.stats();
                runtime.run(agent, RunRequest.of("benchmark"));
                StorageStats after = storage.stats();
                System.out.printf(Locale.ROOT, "| %s | %d | %d | %d |%n", shape.name, tokens,
                    after.statements() - before.statements(), after.commits() - before.commits());
            }
        }
    }

    private static String[] words(int n) {
        String[] words = new String[n];
        Arrays.fill(words, "word ");
        return words;
    }

    // ---- part 2 -----------------------------------------------------------------------------------

    private static void capacity(String kind, int seconds, int maxRuns) throws Exception {
        System.out.println();
        System.out.println("Concurrent runs, each a token every " + TOKEN_MILLIS + " ms for 10 s with one tool call, then"
            + " the next run; " + seconds + " s measured after a 12 s ramp; flush every " + FLUSH.toMillis() + " ms, up to "
            + maxFlush.toMillis() + " ms while the writer is busy."
            + " Lag: how far a sampled run's stored answer is behind what it emitted.");
        System.out.println();
        System.out.println("| concurrent runs | tokens/s | statements/s | flushes/s | flush p99 | flush interval "
            + "| stored-answer lag p50 / p99 | start+end commit p50 / p99 | keeps up |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int runs : new int[] {250, 375, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000, 8000}) {
            if (runs > maxRuns || !capacityStep(kind, runs, seconds)) {
                break;
            }
        }
    }

    /** What a driver has emitted in its current run. */
    private record Progress(String sessionId, int emitted) {
    }

    private static boolean capacityStep(String kind, int concurrent, int seconds) throws Exception {
        try (Database db = Database.fresh(kind);
             Storage storage = Storage.open(db.options().flushInterval(FLUSH).maxFlushInterval(maxFlush)
                 .syncTimeout(Duration.ofSeconds(60)).build())) {
            Recorder recorder = storage.recorder();
            AtomicBoolean measuring = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong tokens = new AtomicLong();
            ConcurrentLinkedQueue<Long> commitWaits = new ConcurrentLinkedQueue<>();
            AtomicReferenceArray<Progress> progress = new AtomicReferenceArray<>(concurrent);
            List<Thread> drivers = new ArrayList<>();
            for (int i = 0; i < concurrent; i++) {
                // Spread over one run's length, so that starts and ends are spread over the window too.
                long offset = RUN_MILLIS * i / concurrent;
                int slot = i;
                drivers.add(Thread.ofVirtual().start(() -> drive(recorder, offset, stop, measuring, tokens, commitWaits,
                    p -> progress.set(slot, p))));
            }
            Thread.sleep(RUN_MILLIS + 2_000);
            StorageStats before = storage.stats();
            measuring.set(true);
            long startNanos = System.nanoTime();
            List<Long> lags = sampleLag(storage.store(), progress, seconds);
            measuring.set(false);
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            StorageStats after = storage.stats();
            stop.set(true);
            for (Thread driver : drivers) {
                driver.join();
            }
            long flushes = after.flushes() - before.flushes();
            long[] waits = commitWaits.stream().mapToLong(Long::longValue).sorted().toArray();
            long[] lag = lags.stream().mapToLong(Long::longValue).sorted().toArray();
            double lagP99 = percentile(lag, 0.99);
            double waitP99 = percentile(waits, 0.99);
            // The stored answer may lag by the longest interval allowed; a start or an end still commits within the base one.
            boolean keptUp = lagP99 <= maxFlush.plus(LAG_ALLOWANCE).toMillis() && waitP99 <= FLUSH.toMillis()
                && after.failedFlushes() == 0;
            System.out.printf(Locale.ROOT,
                "| %d | %,.0f | %,.0f | %.1f | %.1f ms | %d ms | %.0f / %.0f ms | %.1f / %.1f ms | %s |%n",
                concurrent, tokens.get() / elapsed, (after.statements() - before.statements()) / elapsed,
                flushes / elapsed, after.recentFlushLatencyP99().toNanos() / 1e6, after.flushInterval().toMillis(),
                percentile(lag, 0.5), lagP99, percentile(waits, 0.5), waitP99, keptUp ? "yes" : "no");
            return keptUp;
        }
    }

    /**
     * Every 20 ms for {@code seconds}, one random run: what it emitted, then what is stored, as a lag
     * in milliseconds (tokens behind times the token interval). Returns the lags, in nanoseconds.
     */
    private static List<Long> sampleLag(SessionStore store, AtomicReferenceArray<Progress> progress, int seconds) {
        List<Long> lags = new ArrayList<>();
        java.util.Random random = new java.util.Random(42);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            Progress p = progress.get(random.nextInt(progress.length()));
            if (p != null) {
                List<StoredMessage> messages = store.messages(p.sessionId());
                int stored = messages.size() < 2 ? 0 : messages.get(1).content().length() / "word ".length();
                lags.add(Math.max(0, p.emitted() - stored) * TimeUnit.MILLISECONDS.toNanos(TOKEN_MILLIS));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return lags;
    }

    /** One driver: runs back to back, each the events core emits for a 10 s answer with one tool call. */
    private static void drive(Recorder recorder, long offsetMillis, AtomicBoolean stop, AtomicBoolean measuring,
                              AtomicLong tokens, ConcurrentLinkedQueue<Long> commitWaits, Consumer<Progress> progress) {
        try {
            Thread.sleep(offsetMillis);
            while (!stop.get()) {
                String runId = UUID.randomUUID().toString();
                RunInfo info = new RunInfo(runId, UUID.randomUUID().toString(), "bench-user", "bench-agent", null,
                    "benchmark question", Instant.now());
                long[] seq = {0};
                Function<Function<EventHeader, RunEvent>, RunEvent> next = factory -> factory.apply(new EventHeader(++seq[0],
                    runId, info.sessionId(), info.agentId(), null, System.currentTimeMillis() / 1000));
                timed(measuring, commitWaits, () -> recorder.onEvent(info, next.apply(h -> new RunStarted(h, "bench"))));
                for (int i = 0; i < 500 && !stop.get(); i++) {
                    if (i == 250) {
                        ToolExecution tool = ToolExecution.started("call-" + runId, "now", Map.of("zone", "UTC"));
                        recorder.onEvent(info, next.apply(h -> new ToolCallStarted(h, tool)));
                        Thread.sleep(200);
                        recorder.onEvent(info, next.apply(h -> new ToolCallCompleted(h, tool.withResult("12:00", false, null))));
                    }
                    recorder.onEvent(info, next.apply(h -> new RunContent(h, "word ")));
                    progress.accept(new Progress(info.sessionId(), i + 1));
                    if (measuring.get()) {
                        tokens.incrementAndGet();
                    }
                    Thread.sleep(TOKEN_MILLIS);
                }
                recorder.onEvent(info, next.apply(RunContentCompleted::new));
                String answer = "word ".repeat(500);
                timed(measuring, commitWaits, () -> recorder.onEvent(info,
                    next.apply(h -> new RunCompleted(h, answer, null, new Metrics(10, 500, 510, 0.1, 10.0)))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void timed(AtomicBoolean measuring, ConcurrentLinkedQueue<Long> waits, Runnable call) {
        long start = System.nanoTime();
        call.run();
        if (measuring.get()) {
            waits.add(System.nanoTime() - start);
        }
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** A fresh SQLite file or PostgreSQL schema for one benchmark step, removed afterwards. */
    private record Database(String kind, String jdbcUrl, Path directory, String schema) implements AutoCloseable {

        static Database fresh(String kind) throws Exception {
            if (kind.equals("sqlite")) {
                Path directory = Files.createTempDirectory("agentstream-bench");
                return new Database(kind, "jdbc:sqlite:" + directory.resolve("bench.db"), directory, null);
            }
            String schema = "as_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            return new Database(kind, TestDatabases.POSTGRES + "&currentSchema=" + schema, null, schema);
        }

        StorageOptions.Builder options() {
            return StorageOptions.builder().jdbcUrl(jdbcUrl).nodeId("bench");
        }

        @Override
        public void close() throws java.io.IOException, java.sql.SQLException {
            if (directory != null) {
                try (var files = Files.walk(directory)) {
                    for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
            if (schema != null) {
                try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
    }

    private StorageBenchmark() {
    }
}
