package dev.agentstream;

import static java.util.Objects.requireNonNull;

import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunRequirement;
import dev.agentstream.event.RunStatus;
import dev.agentstream.run.CancellationBus;
import dev.agentstream.run.EventReplay;
import dev.agentstream.run.HistoryProvider;
import dev.agentstream.run.InProcessCancellationBus;
import dev.agentstream.run.PausedRun;
import dev.agentstream.run.RunEventLog;
import dev.agentstream.run.RunInfo;
import dev.agentstream.run.RunObserver;
import dev.langchain4j.data.message.ChatMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts, cancels and continues runs, and keeps each one's event log for readers while it runs and
 * for a retention window after it ended.
 *
 * <p>Thread-safe. Runs execute on virtual threads of their own; nothing here blocks on a model.
 */
public final class AgentRuntime implements AutoCloseable {

    /** Cancel reason of a stop asked for by a person or a client. */
    public static final String REASON_CANCELLED = RunCancelled.REASON_CANCELLED;
    /** Cancel reason when the last reader went away and the run's policy stops it; stored as INTERRUPTED. */
    public static final String REASON_CLIENT_DISCONNECTED = RunCancelled.REASON_CLIENT_DISCONNECTED;
    /** Cancel reason when the process shuts down; stored as INTERRUPTED. */
    public static final String REASON_SHUTDOWN = RunCancelled.REASON_SHUTDOWN;

    private final CancellationBus cancellationBus;
    private final List<RunObserver> observers;
    private final HistoryProvider history;
    private final EventReplay replay;
    private final Duration retention;
    private final Duration endedLogRetention;
    private final int maxEventsPerRun;
    private final long maxEventBytesPerRun;
    private final Clock clock;
    private final FaultPolicy faultPolicy;
    private final Map<String, Entry> runs = new ConcurrentHashMap<>();
    private final AutoCloseable busSubscription;
    private final ScheduledExecutorService housekeeping;

    private AgentRuntime(Builder b) {
        this.cancellationBus = b.cancellationBus != null ? b.cancellationBus : new InProcessCancellationBus();
        this.observers = List.copyOf(b.observers);
        this.history = b.history;
        this.replay = b.replay;
        this.retention = b.retention;
        this.endedLogRetention = b.endedLogRetention != null && b.endedLogRetention.compareTo(b.retention) < 0
            ? b.endedLogRetention : b.retention;
        this.maxEventsPerRun = b.maxEventsPerRun;
        this.maxEventBytesPerRun = b.maxEventBytesPerRun;
        this.clock = b.clock;
        this.faultPolicy = new FaultPolicy(b.modelIdleTimeout, b.upstreamRetries, b.toolTimeout);
        this.busSubscription = cancellationBus.subscribe(request -> cancelLocally(request.runId(), request.reason()));
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
            .name("agentstream-housekeeping").daemon(true).factory());
        long every = Math.max(100, endedLogRetention.toMillis() / 10);
        housekeeping.scheduleWithFixedDelay(this::evictExpired, every, every, TimeUnit.MILLISECONDS);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a run and returns at once; its events are in {@link RunHandle#log()}. The model sees
     * the request's own history when it has one, else the session's from the history provider.
     */
    public RunHandle start(Member agent, RunRequest request) {
        requireNonNull(agent, "agent");
        requireNonNull(request, "request");
        RunInfo info = new RunInfo(request.runIdOrNew(), request.sessionIdOrNew(), request.userIdOrLocal(),
            agent.id(), request.parentRunId(), request.message(), clock.instant());
        RunTarget target = RunTarget.of(agent);
        RunEmitter emitter = new RunEmitter(info, target.team(), observers,
            new EventSequence(new RunEventLog(maxEventsPerRun, maxEventBytesPerRun)), clock);
        HistoryProvider runHistory = request.history() != null ? given(request.history()) : history;
        AgentRun run = new AgentRun(target, emitter, new RunControl(), runHistory, faultPolicy);
        if (runs.putIfAbsent(info.runId(), new Entry(run)) != null) {
            throw new IllegalArgumentException("runId: " + info.runId() + " (expected: unused)");
        }
        // A cancel that arrived before the run existed still wins.
        cancellationBus.pendingCancel(info.runId()).ifPresent(reason -> run.control().cancel(reason));
        run.start();
        return new RunHandle(run, this);
    }

    private static HistoryProvider given(List<ChatMessage> messages) {
        return run -> messages;
    }

    /** Where readers that fell behind a log's retention get the dropped events. */
    EventReplay replay() {
        return replay;
    }

    /** Runs to the end of the first segment (completed, cancelled, failed or paused) and returns the output. */
    public RunOutput run(Member agent, RunRequest request) throws InterruptedException {
        RunHandle handle = start(agent, request);
        try {
            return handle.segmentEnd().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("run " + handle.runId() + " failed to end", e.getCause());
        }
    }

    /** The run, if it runs in this process or ended here within the retention window. */
    public Optional<RunHandle> find(String runId) {
        Entry entry = runs.get(runId);
        return entry == null ? Optional.empty() : Optional.of(new RunHandle(entry.run, this));
    }

    /**
     * Asks a run to stop, wherever it runs: the request goes through the cancellation bus, so it
     * reaches another node too, and is remembered if the run has not started yet. {@code RunCancelled}
     * (with {@code reason}) follows within milliseconds while the model streams.
     */
    public CancelOutcome cancel(String runId, String reason) {
        requireNonNull(runId, "runId");
        requireNonNull(reason, "reason");
        Entry entry = runs.get(runId);
        if (entry != null && entry.run.emitter().status().isFinal()) {
            return CancelOutcome.ALREADY_ENDED;
        }
        cancellationBus.requestCancel(runId, reason);
        return entry != null ? CancelOutcome.CANCELLING : CancelOutcome.REQUESTED;
    }

    /**
     * Stops a run executing in this process as failed by {@code cause}, for a failure outside the
     * run (its storage went away, say): it ends with {@code RunError} carrying the cause's message
     * and the partial content, at once while the model streams. Paused runs are left paused: no
     * thread runs them, so they hold nothing that could fail.
     *
     * @return true if the run was stopped by this call; false if it is not here, ended, paused or
     *     already stopping
     */
    public boolean fail(String runId, RuntimeException cause) {
        requireNonNull(runId, "runId");
        requireNonNull(cause, "cause");
        Entry entry = runs.get(runId);
        if (entry == null) {
            return false;
        }
        RunStatus status = entry.run.emitter().status();
        return !status.isFinal() && status != RunStatus.PAUSED && entry.run.control().fail(cause);
    }

    private void cancelLocally(String runId, String reason) {
        Entry entry = runs.get(runId);
        if (entry == null) {
            return;
        }
        AgentRun run = entry.run;
        if (run.control().cancel(reason) && run.emitter().status() == RunStatus.PAUSED) {
            // No thread runs a paused run: end it here.
            run.endPaused(reason);
        }
    }

    /**
     * Continues a paused run of this process with a decision for every pending tool call. The new
     * segment starts with {@code RunContinued}; its seq continues the run's numbering.
     */
    public ContinueOutcome continueRun(String runId, List<ToolDecision> decisions) {
        Entry entry = runs.get(runId);
        if (entry == null) {
            return new ContinueOutcome.NotFound(runId);
        }
        return continueWith(entry.run, decisions);
    }

    /**
     * Continues, in this process, a run paused anywhere (another node, or before a restart), from
     * the state its observers stored. This process becomes the run's owner.
     */
    public ContinueOutcome resume(Member agent, PausedRun state, List<ToolDecision> decisions) {
        return continueWith(adopt(agent, state), decisions);
    }

    /**
     * Cancels, in this process, a run paused anywhere (another node, or before a restart), from the
     * state its observers stored: its paused members end first, then the run, each with
     * {@code RunCancelled} ({@code reason}) to its observers and readers. A run that is no longer
     * paused here (a continue won the race) is asked to stop like any running run.
     */
    public RunHandle cancelPaused(Member agent, PausedRun state, String reason) {
        requireNonNull(reason, "reason");
        AgentRun run = adopt(agent, state);
        cancelLocally(state.run().runId(), reason);
        return new RunHandle(run, this);
    }

    /** The run of this process with the paused run's id, or the paused run restored here from its state. */
    private AgentRun adopt(Member agent, PausedRun state) {
        requireNonNull(agent, "agent");
        requireNonNull(state, "state");
        Entry existing = runs.get(state.run().runId());
        if (existing != null) {
            return existing.run;
        }
        RunTarget target = RunTarget.of(agent);
        RunEmitter emitter = new RunEmitter(state.run(), target.team(), observers,
            new EventSequence(RunEventLog.continuingAfter(state.lastSeq())), clock);
        AgentRun run = new AgentRun(target, emitter, new RunControl(), history, faultPolicy);
        run.restore(state);
        Entry raced = runs.putIfAbsent(state.run().runId(), new Entry(run));
        return raced != null ? raced.run : run;
    }

    private ContinueOutcome continueWith(AgentRun run, List<ToolDecision> decisions) {
        RunEmitter emitter = run.emitter();
        List<RunRequirement> waiting = emitter.requirements();
        if (emitter.status() != RunStatus.PAUSED) {
            return new ContinueOutcome.NotPaused(emitter.status());
        }
        Optional<String> problem = DecisionCheck.problem(waiting, decisions);
        if (problem.isPresent()) {
            return new ContinueOutcome.InvalidDecisions(problem.get());
        }
        if (emitter.claimPaused() == null) {
            return new ContinueOutcome.NotPaused(emitter.status());
        }
        Map<String, ToolDecision> byId = new HashMap<>();
        decisions.forEach(d -> byId.put(d.toolCallId(), d));
        run.resume(byId);
        return new ContinueOutcome.Continued(new RunHandle(run, this));
    }

    /**
     * Forgets a run paused in this process that another process continued (or ended) since: what
     * this process holds of it is stale, and its events are read from storage from now on. Returns
     * false, forgetting nothing, if the run is not paused here.
     */
    public boolean forgetPaused(String runId) {
        Entry entry = runs.get(runId);
        if (entry == null || entry.run.emitter().status() != RunStatus.PAUSED) {
            return false;
        }
        return runs.remove(runId, entry);
    }

    /** Ids of the runs executing in this process now. */
    public List<String> activeRunIds() {
        List<String> ids = new ArrayList<>();
        runs.forEach((id, entry) -> {
            if (!entry.run.emitter().status().isFinal()) {
                ids.add(id);
            }
        });
        return ids;
    }

    private void evictExpired() {
        long now = System.nanoTime();
        runs.values().removeIf(entry -> {
            long endedFor = entry.endedFor(now);
            if (endedFor > endedLogRetention.toNanos()) {
                entry.run.emitter().log().release();
            }
            return endedFor > retention.toNanos();
        });
    }

    /**
     * Cancels every run still going (reason {@link #REASON_SHUTDOWN}) and stops housekeeping. Paused
     * runs are left paused: no thread runs them, and their stored state lets them continue after a
     * restart or on another node. Idempotent.
     */
    @Override
    public void close() {
        runs.forEach((runId, entry) -> {
            RunStatus status = entry.run.emitter().status();
            if (!status.isFinal() && status != RunStatus.PAUSED) {
                cancelLocally(runId, REASON_SHUTDOWN);
            }
        });
        housekeeping.shutdownNow();
        try {
            busSubscription.close();
        } catch (Exception e) {
            // Nothing to do: the bus is going away with us.
        }
    }

    /** What a cancel did. */
    public enum CancelOutcome {
        /** The run executes here and is being stopped. */
        CANCELLING,
        /** The run is not here; the request went out on the bus and is remembered for a late start. */
        REQUESTED,
        /** The run had already ended. */
        ALREADY_ENDED
    }

    /** What a continue did. */
    public sealed interface ContinueOutcome {
        /** The run goes on; read the new segment from the handle. */
        record Continued(RunHandle handle) implements ContinueOutcome {
        }

        /** No such run here. */
        record NotFound(String runId) implements ContinueOutcome {
        }

        /** The run is not paused. */
        record NotPaused(RunStatus status) implements ContinueOutcome {
        }

        /** The decisions do not answer the pending requirements; {@code message} says how. */
        record InvalidDecisions(String message) implements ContinueOutcome {
        }
    }

    /** A run and, once it ended, when (for eviction after the retention window). */
    private static final class Entry {
        final AgentRun run;
        volatile long endedAtNanos;

        Entry(AgentRun run) {
            this.run = run;
        }

        /** How long ago the run ended, as first noticed by housekeeping; -1 while it goes on. */
        long endedFor(long now) {
            if (!run.emitter().status().isFinal()) {
                return -1;
            }
            if (endedAtNanos == 0) {
                endedAtNanos = now;
            }
            return now - endedAtNanos;
        }
    }

    /** Configures an {@link AgentRuntime}; not thread-safe. */
    public static final class Builder {
        private CancellationBus cancellationBus;
        private final List<RunObserver> observers = new ArrayList<>();
        private HistoryProvider history = HistoryProvider.NONE;
        private EventReplay replay = EventReplay.NONE;
        private Duration retention = Duration.ofMinutes(10);
        private Duration endedLogRetention;
        private int maxEventsPerRun = 100_000;
        private long maxEventBytesPerRun = 8L << 20;
        private Clock clock = Clock.systemUTC();
        private Duration modelIdleTimeout = Duration.ofSeconds(60);
        private int upstreamRetries = 2;
        private Duration toolTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /**
         * How long a model may send nothing before its turn fails with {@code RunError} "upstream
         * stalled" and its stream is closed (default 60 s): a stalled upstream that keeps its
         * connection open must not hang a run forever.
         */
        public Builder modelIdleTimeout(Duration timeout) {
            this.modelIdleTimeout = positive(timeout, "timeout");
            return this;
        }

        /**
         * How often a model call that the model's server answers with 429, 500, 502, 503 or 504
         * before any output is retried, waiting as its {@code Retry-After} says (at most 30 s) or
         * with exponential backoff (default 2; an agent may set its own). 0 turns retries off.
         */
        public Builder upstreamRetries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("retries: " + retries + " (expected: 0 or more)");
            }
            this.upstreamRetries = retries;
            return this;
        }

        /**
         * How long a tool call may run before its thread is interrupted and the call ends with
         * {@code ToolCallError}, the run going on (default 60 s; an agent may set its own per tool).
         */
        public Builder toolTimeout(Duration timeout) {
            this.toolTimeout = positive(timeout, "timeout");
            return this;
        }

        private static Duration positive(Duration value, String name) {
            requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: positive)");
            }
            return value;
        }

        public Builder cancellationBus(CancellationBus bus) {
            this.cancellationBus = requireNonNull(bus, "bus");
            return this;
        }

        /** Adds an observer of every run's events (storage, metrics). */
        public Builder observer(RunObserver observer) {
            observers.add(requireNonNull(observer, "observer"));
            return this;
        }

        public Builder history(HistoryProvider provider) {
            this.history = requireNonNull(provider, "provider");
            return this;
        }

        /**
         * Where in-process readers ({@link RunHandle#events}, {@link RunHandle#publisher}) that fell
         * behind a log's retention get the dropped events: the store that records the runs. Without
         * one (the default) such a reader fails with {@link dev.agentstream.run.EventsLostException}.
         */
        public Builder replay(EventReplay source) {
            this.replay = requireNonNull(source, "source");
            return this;
        }

        /** How long an ended run's events stay in memory for late readers (default 10 minutes). */
        public Builder retention(Duration retention) {
            this.retention = requireNonNull(retention, "retention");
            return this;
        }

        /**
         * How long an ended run keeps its events in memory (default: the whole {@link #retention}).
         * Set it shorter only when storage holds every event: readers of a released log get
         * {@code truncated} batches and replay from storage, while the run itself (status, output,
         * cancel and continue answers) stays known for the whole retention.
         */
        public Builder endedLogRetention(Duration retention) {
            this.endedLogRetention = requireNonNull(retention, "retention");
            return this;
        }

        /** Events kept in memory per run before the oldest are dropped (default 100,000). */
        public Builder maxEventsPerRun(int max) {
            this.maxEventsPerRun = max;
            return this;
        }

        /**
         * Roughly how many bytes of events one run keeps in memory before the oldest are dropped
         * (default 8 MiB); readers behind that replay from storage, so set it low only with one.
         */
        public Builder maxEventBytesPerRun(long max) {
            this.maxEventBytesPerRun = max;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        public AgentRuntime build() {
            return new AgentRuntime(this);
        }
    }
}
