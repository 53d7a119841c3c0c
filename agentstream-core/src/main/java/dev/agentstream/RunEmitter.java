package dev.agentstream;

import dev.agentstream.event.EventHeader;
import dev.agentstream.event.Metrics;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunContinued;
import dev.agentstream.event.RunError;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunPaused;
import dev.agentstream.event.RunRequirement;
import dev.agentstream.event.RunStarted;
import dev.agentstream.event.RunStatus;
import dev.agentstream.event.ToolCallCompleted;
import dev.agentstream.event.ToolCallError;
import dev.agentstream.event.ToolCallStarted;
import dev.agentstream.event.ToolExecution;
import dev.agentstream.run.FaultKind;
import dev.agentstream.run.PausedRun;
import dev.agentstream.run.RunEventLog;
import dev.agentstream.run.RunInfo;
import dev.agentstream.run.RunObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single door through which a run's events go out: it numbers them, shows them to the
 * observers (storage) and appends them to the log, and keeps the run's output (content, reasoning,
 * tools, tokens, status) in step with what was emitted, all under one lock.
 *
 * <p>Thread contract: any of the run's producer threads (the run thread, the model's callback
 * thread, tool threads) may call it; the lock serialises them. Observers run inside the lock, so
 * they see events in seq order.
 */
final class RunEmitter {

    private static final Logger LOG = LoggerFactory.getLogger(RunEmitter.class);

    private final ReentrantLock lock;
    private final EventSequence sequence;
    private final RunEventLog log;
    private final RunInfo info;
    private final boolean team;
    private final List<RunObserver> observers;
    private final Clock clock;
    private final long startedAtMillis;
    private final long startNanos = System.nanoTime();

    private boolean ended;
    private final StringBuilder content = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final Map<String, ToolExecution> tools = new LinkedHashMap<>();
    private long inputTokens;
    private long outputTokens;
    private double timeToFirstToken = -1;
    private RunStatus status = RunStatus.RUNNING;
    private List<RunRequirement> requirements = List.of();
    private String error;
    private String cancelReason;
    private CompletableFuture<RunOutput> segmentEnd = new CompletableFuture<>();

    RunEmitter(RunInfo info, boolean team, List<RunObserver> observers, EventSequence sequence, Clock clock) {
        this.info = info;
        this.team = team;
        this.observers = observers;
        this.sequence = sequence;
        this.lock = sequence.lock;
        this.log = sequence.log;
        this.clock = clock;
        this.startedAtMillis = info.startedAt().toEpochMilli();
    }

    /** An emitter for a member run whose events go into this run's stream, numbered with it. */
    RunEmitter member(RunInfo memberInfo, boolean memberIsTeam) {
        return new RunEmitter(memberInfo, memberIsTeam, observers, sequence, clock);
    }

    /** Restores the output of a paused run continued in this process. */
    void restore(PausedRun state) {
        lock.lock();
        try {
            content.append(state.content());
            if (state.reasoningContent() != null) {
                reasoning.append(state.reasoningContent());
            }
            state.tools().forEach(t -> tools.put(t.toolCallId(), t));
            inputTokens = state.inputTokens();
            outputTokens = state.outputTokens();
            requirements = state.requirements();
            status = RunStatus.PAUSED;
        } finally {
            lock.unlock();
        }
    }

    RunInfo info() {
        return info;
    }

    RunEventLog log() {
        return log;
    }

    /**
     * Numbers, observes and appends one event. Returns false, emitting nothing, once the run has
     * ended (a late callback after a cancel, say).
     */
    boolean emit(Function<EventHeader, RunEvent> factory) {
        lock.lock();
        try {
            return emitLocked(factory);
        } finally {
            lock.unlock();
        }
    }

    private boolean emitLocked(Function<EventHeader, RunEvent> factory) {
        if (ended || log.isClosed()) {
            return false;
        }
        RunEvent event = factory.apply(new EventHeader(sequence.nextSeq, info.runId(), info.sessionId(),
            team ? null : info.agentId(), team ? info.agentId() : null, info.parentRunId(), clock.millis() / 1000));
        RuntimeException notRecorded = null;
        for (RunObserver observer : observers) {
            try {
                observer.onEvent(info, event);
            } catch (RuntimeException e) {
                if (observer.required() && startsSegment(event)) {
                    notRecorded = e;
                } else {
                    LOG.warn("observer {} failed on {} of run {}", observer.getClass().getName(), event.eventName(),
                        info.runId(), e);
                }
            }
        }
        log.tryAppend(event);
        sequence.nextSeq++;
        track(event);
        if (notRecorded != null) {
            throw new SegmentNotRecordedException(info.runId(), event, notRecorded);
        }
        return true;
    }

    private static boolean startsSegment(RunEvent event) {
        return event instanceof RunStarted || event instanceof RunContinued;
    }

    private void track(RunEvent event) {
        switch (event) {
            case ToolCallStarted e -> tools.put(e.tool().toolCallId(), e.tool());
            case ToolCallCompleted e -> tools.put(e.tool().toolCallId(), e.tool());
            case ToolCallError e -> tools.put(e.tool().toolCallId(), e.tool());
            case RunCompleted e -> endSegment(RunStatus.COMPLETED);
            case RunCancelled e -> endSegment(RunCancelled.statusFor(e.reason()));
            case RunError e -> endSegment(RunStatus.ERROR);
            case RunPaused e -> endSegment(RunStatus.PAUSED);
            default -> {
            }
        }
    }

    private void endSegment(RunStatus newStatus) {
        status = newStatus;
        ended = newStatus.isFinal();
        segmentEnd.complete(outputLocked());
    }

    /** Emits a chunk of the answer and keeps it in the output. */
    boolean content(String text) {
        lock.lock();
        try {
            if (emitLocked(h -> new RunContent(h, text))) {
                content.append(text);
                markFirstToken();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Emits an event that carries thinking and keeps the thinking in the output. */
    boolean reasoning(String text, Function<EventHeader, RunEvent> factory) {
        lock.lock();
        try {
            if (emitLocked(factory)) {
                reasoning.append(text);
                markFirstToken();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void markFirstToken() {
        if (timeToFirstToken < 0) {
            timeToFirstToken = (System.nanoTime() - startNanos) / 1e9;
        }
    }

    void addUsage(long input, long output) {
        lock.lock();
        try {
            inputTokens += input;
            outputTokens += output;
        } finally {
            lock.unlock();
        }
    }

    boolean complete() {
        lock.lock();
        try {
            String whole = content.toString();
            String thinking = reasoning.isEmpty() ? null : reasoning.toString();
            Metrics metrics = metricsLocked();
            return emitLocked(h -> new RunCompleted(h, whole, thinking, metrics));
        } finally {
            lock.unlock();
        }
    }

    boolean cancelled(String reason) {
        lock.lock();
        try {
            cancelReason = reason;
            String partial = content.toString();
            return emitLocked(h -> new RunCancelled(h, reason, partial));
        } finally {
            lock.unlock();
        }
    }

    /** Tells the observers of a fault; the event that shows it to readers is emitted separately. */
    void fault(FaultKind kind) {
        notifyObservers("fault " + kind.label(), observer -> observer.onFault(info, kind));
    }

    /** Tells the observers that the model call is retried after {@code delay}. */
    void upstreamRetry(int status, Duration delay) {
        notifyObservers("upstream retry", observer -> observer.onUpstreamRetry(info, status, delay));
    }

    private void notifyObservers(String what, Consumer<RunObserver> call) {
        lock.lock();
        try {
            for (RunObserver observer : observers) {
                try {
                    call.accept(observer);
                } catch (RuntimeException e) {
                    LOG.warn("observer {} failed on {} of run {}", observer.getClass().getName(), what, info.runId(), e);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    boolean failed(Throwable cause) {
        lock.lock();
        try {
            error = describe(cause);
            String message = error;
            String partial = content.toString();
            return emitLocked(h -> new RunError(h, message, cause.getClass().getSimpleName(), partial));
        } finally {
            lock.unlock();
        }
    }

    /** Shows observers the state to continue from, then emits {@code RunPaused}. */
    boolean paused(List<RunRequirement> newRequirements, String messagesJson) {
        lock.lock();
        try {
            if (ended || log.isClosed()) {
                return false;
            }
            requirements = List.copyOf(newRequirements);
            PausedRun state = new PausedRun(info, messagesJson, requirements, List.copyOf(tools.values()),
                content.toString(), reasoning.isEmpty() ? null : reasoning.toString(), inputTokens, outputTokens,
                sequence.nextSeq, startedAtMillis);
            for (RunObserver observer : observers) {
                try {
                    observer.onPaused(info, state);
                } catch (RuntimeException e) {
                    LOG.warn("observer {} failed on pause of run {}", observer.getClass().getName(), info.runId(), e);
                }
            }
            List<ToolExecution> pending = requirements.stream().map(RunRequirement::tool).toList();
            return emitLocked(h -> new RunPaused(h, pending, requirements));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves a paused run back to running, for exactly one continue. Returns the requirements it
     * waited for, or null if it was not paused (already continued, cancelled, never paused).
     */
    List<RunRequirement> claimPaused() {
        lock.lock();
        try {
            if (status != RunStatus.PAUSED || ended || log.isClosed()) {
                return null;
            }
            status = RunStatus.RUNNING;
            segmentEnd = new CompletableFuture<>();
            return requirements;
        } finally {
            lock.unlock();
        }
    }

    /** The tool call with this id as last emitted. */
    ToolExecution tool(String toolCallId) {
        lock.lock();
        try {
            return tools.get(toolCallId);
        } finally {
            lock.unlock();
        }
    }

    RunStatus status() {
        lock.lock();
        try {
            return status;
        } finally {
            lock.unlock();
        }
    }

    List<RunRequirement> requirements() {
        lock.lock();
        try {
            return requirements;
        } finally {
            lock.unlock();
        }
    }

    /** Completes when the current segment ends, with the output at that point. */
    CompletableFuture<RunOutput> segmentEnd() {
        lock.lock();
        try {
            return segmentEnd;
        } finally {
            lock.unlock();
        }
    }

    RunOutput output() {
        lock.lock();
        try {
            return outputLocked();
        } finally {
            lock.unlock();
        }
    }

    private RunOutput outputLocked() {
        return new RunOutput(info.runId(), info.sessionId(), info.agentId(), status, content.toString(),
            reasoning.isEmpty() ? null : reasoning.toString(), new ArrayList<>(tools.values()),
            status == RunStatus.PAUSED ? requirements : List.of(), metricsLocked(), error, cancelReason,
            sequence.nextSeq - 1);
    }

    private Metrics metricsLocked() {
        double duration = (clock.millis() - startedAtMillis) / 1000.0;
        return new Metrics(inputTokens, outputTokens, inputTokens + outputTokens,
            timeToFirstToken < 0 ? null : timeToFirstToken, duration);
    }

    static String describe(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
