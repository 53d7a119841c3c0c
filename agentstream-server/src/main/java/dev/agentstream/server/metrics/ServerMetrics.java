package dev.agentstream.server.metrics;

import dev.agentstream.AgentRuntime;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunError;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunPaused;
import dev.agentstream.event.RunStarted;
import dev.agentstream.run.PausedRun;
import dev.agentstream.run.RunInfo;
import dev.agentstream.run.RunObserver;
import dev.agentstream.store.StorageStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The server's Prometheus figures: runs (started, ended by status, active), events emitted by
 * name, SSE streams (open, events written, heartbeats, client disconnects), and persistence (time
 * the recorder takes on the run thread, events replayed from the store).
 *
 * <p>Thread contract: thread-safe; meters are updated from run threads and connection threads.
 */
public final class ServerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger openStreams = new AtomicInteger();
    /** Run outcome counters by agent and outcome; looked up once per run segment, not per token. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** Events emitted, one counter per wire name (agents' and teams'): a per-token lookup with no key to build. */
    private final ClassValue<Counter> emittedByAgents = emittedCounters("");
    private final ClassValue<Counter> emittedByTeams = emittedCounters("Team");
    private final Counter eventsWritten;
    private final Counter heartbeats;
    private final Counter disconnects;
    private final Counter replayed;
    private final Counter slowReaders;
    private final Counter storageFailures;

    public ServerMetrics() {
        eventsWritten = Counter.builder("agentstream.sse.events.written")
            .description("Events written to SSE clients").register(registry);
        heartbeats = Counter.builder("agentstream.sse.heartbeats")
            .description("Heartbeat comments written on idle streams").register(registry);
        disconnects = Counter.builder("agentstream.sse.client.disconnects")
            .description("SSE clients that went away before their stream ended").register(registry);
        replayed = Counter.builder("agentstream.store.events.replayed")
            .description("Events read back from the store for readers").register(registry);
        slowReaders = Counter.builder("agentstream.sse.slow.readers.dropped")
            .description("SSE clients dropped because a write to them outlived the write timeout").register(registry);
        storageFailures = Counter.builder("agentstream.runs.storage.failed")
            .description("Runs ended with RunError because their storage was unavailable too long").register(registry);
        Gauge.builder("agentstream.sse.streams.open", openStreams, AtomicInteger::get)
            .description("SSE streams being served").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private ClassValue<Counter> emittedCounters(String prefix) {
        return new ClassValue<>() {
            @Override
            protected Counter computeValue(Class<?> type) {
                return Counter.builder("agentstream.events.emitted").tag("event", prefix + type.getSimpleName())
                    .description("Events emitted by runs").register(registry);
            }
        };
    }

    /** Adds the gauge of runs executing in {@code runtime}. */
    public void watch(AgentRuntime runtime) {
        Gauge.builder("agentstream.runs.active", runtime, r -> r.activeRunIds().size())
            .description("Runs executing in this process").register(registry);
    }

    /** Adds the store writer's figures. */
    public void watch(Supplier<StorageStats> stats) {
        counter("agentstream.store.statements", "Statements the store writer executed", stats, StorageStats::statements);
        counter("agentstream.store.commits", "Transactions the store writer committed", stats, StorageStats::commits);
        counter("agentstream.store.flushes", "Group commits of run data", stats, StorageStats::flushes);
        counter("agentstream.store.flushes.failed", "Group commits that failed and were retried run by run", stats,
            StorageStats::failedFlushes);
        counter("agentstream.store.runs.recovered", "Abandoned runs this node marked INTERRUPTED", stats,
            StorageStats::recoveredRuns);
        Gauge.builder("agentstream.store.flush.latency.last", stats, s -> s.get().lastFlushLatency().toNanos() / 1e9)
            .baseUnit("seconds").description("Duration of the last group commit").register(registry);
        Gauge.builder("agentstream.store.flush.latency.max", stats, s -> s.get().maxFlushLatency().toNanos() / 1e9)
            .baseUnit("seconds").description("Longest group commit so far").register(registry);
        Gauge.builder("agentstream.store.runs.live", stats, s -> s.get().liveRuns())
            .description("Runs the store is recording now").register(registry);
    }

    private void counter(String name, String description, Supplier<StorageStats> stats,
                         java.util.function.ToLongFunction<StorageStats> value) {
        FunctionCounter.builder(name, stats, s -> value.applyAsLong(s.get())).description(description).register(registry);
    }

    /** An observer that counts runs and events; registered on the runtime. */
    public RunObserver runObserver() {
        return new RunObserver() {
            @Override
            public void onEvent(RunInfo run, RunEvent event) {
                (event.teamId() == null ? emittedByAgents : emittedByTeams).get(event.getClass()).increment();
                String outcome = switch (event) {
                    case RunStarted e -> "started";
                    case RunCompleted e -> "completed";
                    case RunCancelled e -> RunCancelled.statusFor(e.reason()).name().toLowerCase(java.util.Locale.ROOT);
                    case RunError e -> "error";
                    case RunPaused e -> "paused";
                    default -> null;
                };
                if (outcome != null) {
                    String agent = String.valueOf(run.agentId());
                    counters.computeIfAbsent("run:" + agent + ":" + outcome, k -> Counter.builder("agentstream.runs")
                        .tag("agent", agent).tag("outcome", outcome)
                        .description("Runs started, and run segments ended by outcome").register(registry))
                        .increment();
                }
            }
        };
    }

    /**
     * Wraps the store's recorder so the time it takes on run threads is measured: per event only a
     * sum of nanoseconds (a timer's histogram per token would cost more than the recording).
     */
    public RunObserver timed(RunObserver recorder) {
        LongAdder recordingNanos = new LongAdder();
        FunctionCounter.builder("agentstream.store.record", recordingNanos, n -> n.sum() / 1e9).baseUnit("seconds")
            .description("Time the recorder took on run threads, all events").register(registry);
        Timer pause = Timer.builder("agentstream.store.record.paused")
            .description("Time the recorder takes to keep a paused run's state").register(registry);
        return new RunObserver() {
            @Override
            public void onEvent(RunInfo run, RunEvent event) {
                long start = System.nanoTime();
                recorder.onEvent(run, event);
                recordingNanos.add(System.nanoTime() - start);
            }

            @Override
            public void onPaused(RunInfo run, PausedRun state) {
                pause.record(() -> recorder.onPaused(run, state));
            }
        };
    }

    public void streamOpened() {
        openStreams.incrementAndGet();
    }

    public void streamClosed() {
        openStreams.decrementAndGet();
    }

    public void eventsWritten(int count) {
        eventsWritten.increment(count);
    }

    public void heartbeat() {
        heartbeats.increment();
    }

    public void clientDisconnected() {
        disconnects.increment();
    }

    public void slowReaderDropped() {
        slowReaders.increment();
    }

    public void runFailedForStorage() {
        storageFailures.increment();
    }

    public void replayedFromStore(int count) {
        if (count > 0) {
            replayed.increment(count);
        }
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }
}
