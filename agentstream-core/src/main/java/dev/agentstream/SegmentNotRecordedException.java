package dev.agentstream;

import dev.agentstream.event.RunEvent;

/**
 * A required observer (storage) could not take a segment's start, so the run must not go on: the
 * run ends with {@code RunError} carrying this message, before any model call.
 */
final class SegmentNotRecordedException extends RuntimeException {

    SegmentNotRecordedException(String runId, RunEvent start, RuntimeException cause) {
        super("storage unavailable: the " + start.eventName() + " of run " + runId + " could not be stored ("
            + RunEmitter.describe(cause) + "); the run was stopped before calling the model", cause);
    }
}
