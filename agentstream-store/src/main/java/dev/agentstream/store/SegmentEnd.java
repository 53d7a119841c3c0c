package dev.agentstream.store;

import dev.agentstream.event.EventJson;
import dev.agentstream.event.Metrics;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunError;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunPaused;
import dev.agentstream.event.RunStatus;
import dev.agentstream.run.PausedRun;

/**
 * How a run's segment ended, as its run row and its assistant message store it. Immutable.
 *
 * @param seq the end event's: the assistant message holds every delta of the run up to it
 * @param completedAt null for a pause
 * @param inputTokens null when the end does not say (cancel, error): the stored count stays
 * @param content the whole answer as the end event (or, for a pause, its state) carries it; null if not
 * @param reasoning likewise; null also when the end does not say (cancel, error)
 * @param interrupted the answer was cut short (cancel, disconnect, error)
 * @param pausedStateJson the {@link PausedRun} to continue from, for a pause
 */
record SegmentEnd(long seq, RunStatus status, Long completedAt, String error, String cancelReason, Long inputTokens,
                  Long outputTokens, Long totalTokens, String content, String reasoning, boolean interrupted,
                  String pausedStateJson) {

    /** The end {@code terminal} means, at {@code nowMillis}; {@code paused} is the state a pause continues from. */
    static SegmentEnd of(RunEvent terminal, PausedRun paused, long nowMillis) {
        return switch (terminal) {
            case RunCompleted c -> {
                Metrics m = c.metrics();
                yield new SegmentEnd(c.seq(), RunStatus.COMPLETED, nowMillis, null, null, m == null ? null : m.inputTokens(),
                    m == null ? null : m.outputTokens(), m == null ? null : m.totalTokens(), c.content(),
                    c.reasoningContent(), false, null);
            }
            case RunCancelled c -> new SegmentEnd(c.seq(), RunCancelled.statusFor(c.reason()), nowMillis, null, c.reason(), null,
                null, null, c.content(), null, true, null);
            case RunError e -> new SegmentEnd(e.seq(), RunStatus.ERROR, nowMillis, e.content(), null, null, null, null,
                e.partialContent(), null, true, null);
            case RunPaused p -> new SegmentEnd(p.seq(), RunStatus.PAUSED, null, null, null,
                paused == null ? null : paused.inputTokens(), paused == null ? null : paused.outputTokens(),
                paused == null ? null : paused.inputTokens() + paused.outputTokens(),
                paused == null ? null : paused.content(), paused == null ? null : paused.reasoningContent(), false,
                paused == null ? null : EventJson.write(paused));
            default -> throw new IllegalArgumentException("event: " + terminal.eventName() + " (expected: a terminal event)");
        };
    }
}
