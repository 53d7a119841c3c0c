package dev.agentstream.server.metrics;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.agentstream.AgentRuntime;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunContinued;
import dev.agentstream.event.RunError;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunPaused;
import dev.agentstream.event.RunStarted;
import dev.agentstream.redis.RunStreamPublisher;
import dev.agentstream.redis.RunStreams;
import dev.agentstream.run.FaultKind;
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
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The server's Prometheus figures: runs (started, ended by status, active), events emitted by
 * name, SSE streams (open, events written, heartbeats, client disconnects), persistence (time
 * the recorder takes on the run thread, events replayed from the store, the connection pool), and
 * faults (run errors and tool errors by kind, model calls retried by status).
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
    private final Counter storePolls;
    private final Counter fromRedis;
    /** Faults by kind: run errors for the model's, tool errors for the tools'. */
    private final Map<FaultKind, Counter> faults = new EnumMap<>(FaultKind.class);
    private final Map<Integer, Counter> upstreamRetries = new ConcurrentHashMap<>();

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
        storePolls = Counter.builder("agentstream.store.polls")
            .description("Store reads made for readers of runs executing elsewhere, waiting for their next events")
            .register(registry);
        fromRedis = Counter.builder("agentstream.redis.events.read")
            .description("Events readers of runs executing elsewhere took from the runs' Redis streams").register(registry);
        for (FaultKind kind : FaultKind.values()) {
            boolean tool = kind.isToolFault();
            faults.put(kind, Counter.builder(tool ? "agentstream.tool.errors" : "agentstream.run.errors")
                .tag("kind", kind.label())
                .description(tool ? "Tool calls that ended in ToolCallError, by fault" : "Runs that ended in RunError, by fault")
                .register(registry));
        }
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

    /**
     * Adds the store's connection pool figures ({@code hikaricp_connections_active}, {@code _idle},
     * {@code _pending}, acquire and usage times, timeouts) through HikariCP's own Micrometer tracker.
     */
    public void watchPool(Consumer<MetricsTrackerFactory> pool) {
        pool.accept(new MicrometerMetricsTrackerFactory(registry));
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

            @Override
            public void onFault(RunInfo run, FaultKind kind) {
                faults.get(kind).increment();
            }

            @Override
            public void onUpstreamRetry(RunInfo run, int status, Duration delay) {
                upstreamRetries.computeIfAbsent(status, code -> Counter.builder("agentstream.upstream.retries")
                    .tag("status", String.valueOf(code))
                    .description("Model calls retried after the model's server answered 429/5xx before any output")
                    .register(registry)).increment();
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
        Counter startsNotStored = Counter.builder("agentstream.store.starts.failed")
            .description("Run starts and continues the store could not take in time; each such run ended with RunError")
            .register(registry);
        return new RunObserver() {
            @Override
            public void onEvent(RunInfo run, RunEvent event) {
                long start = System.nanoTime();
                try {
                    recorder.onEvent(run, event);
                } catch (RuntimeException e) {
                    if (event instanceof RunStarted || event instanceof RunContinued) {
                        startsNotStored.increment();
                    }
                    throw e;
                } finally {
                    recordingNanos.add(System.nanoTime() - start);
                }
            }

            @Override
            public boolean required() {
                return recorder.required();
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

    /** A reader of a run executing elsewhere asked the store for its next events (the way without Redis). */
    public void storePolled() {
        storePolls.increment();
    }

    public void replayedFromRedis(int count) {
        if (count > 0) {
            fromRedis.increment(count);
        }
    }

    /** Adds the figures of the runs' Redis streams: this node's copy of its events, and its readers there. */
    public void watch(RunStreams streams) {
        RunStreamPublisher publisher = streams.publisher();
        Gauge.builder("agentstream.redis.runs.followed", streams, RunStreams::followedRuns)
            .description("Runs of other nodes that readers of this node follow live (one subscription each)").register(registry);
        FunctionCounter.builder("agentstream.redis.events.sent", publisher, RunStreamPublisher::sent)
            .description("Events this node wrote to the runs' Redis streams").register(registry);
        FunctionCounter.builder("agentstream.redis.events.skipped", publisher, RunStreamPublisher::skipped)
            .description("Events that did not reach Redis (queue full, Redis away); readers take them from the store")
            .register(registry);
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }
}
