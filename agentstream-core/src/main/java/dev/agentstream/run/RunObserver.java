package dev.agentstream.run;

import dev.agentstream.event.RunEvent;
import java.time.Duration;

/**
 * Sees every event of every run, in seq order, before any reader can: storage is an observer, so
 * what a client saw is always what was recorded.
 *
 * <p>Thread contract: called on the run's producer threads, one call at a time per run, while the
 * run's emit lock is held. Keep calls short: buffer and return, except where a write must happen
 * before readers see the event (the run's start and its terminal events), where blocking for a
 * commit is acceptable. An exception is logged and does not stop the run, except from a
 * {@linkplain #required() required} observer at a segment's start.
 */
public interface RunObserver {

    void onEvent(RunInfo run, RunEvent event);

    /**
     * True for an observer that must take each segment's start ({@code RunStarted},
     * {@code RunContinued}), as storage must: if it throws there, the run ends at once with
     * {@code RunError} naming the failure, before any model call, rather than stream what is not
     * recorded. The event that failed still reaches the log, so numbering and the observer's own
     * retries stay consistent.
     */
    default boolean required() {
        return false;
    }

    /** Called just before {@code RunPaused} with everything needed to continue the run later, anywhere. */
    default void onPaused(RunInfo run, PausedRun state) {
    }

    /**
     * The run met a fault: its model failed (the {@code RunError} follows) or a tool call failed (its
     * {@code ToolCallError} follows, and the run goes on). For metrics.
     */
    default void onFault(RunInfo run, FaultKind kind) {
    }

    /** The model answered {@code status} before any output; the call is retried after {@code delay}. */
    default void onUpstreamRetry(RunInfo run, int status, Duration delay) {
    }
}
