package dev.agentstream.store;

import dev.agentstream.event.EventHeader;
import dev.agentstream.event.ReasoningContentDelta;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStarted;
import dev.agentstream.run.RunInfo;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;

/**
 * One run's events fed straight to a recorder, numbered as core numbers them, so that a test
 * decides exactly what has streamed when it reads. Not thread-safe.
 */
final class FedRun {

    final RunInfo info;
    private final Recorder recorder;
    private long seq;

    FedRun(Recorder recorder) {
        this.recorder = recorder;
        this.info = new RunInfo(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "user-1", "assistant", null,
            "Tell me", Instant.now());
    }

    FedRun start() {
        emit(h -> new RunStarted(h, "gpt-test"));
        return this;
    }

    FedRun content(String... pieces) {
        for (String piece : pieces) {
            emit(h -> new RunContent(h, piece));
        }
        return this;
    }

    FedRun reasoning(String... pieces) {
        for (String piece : pieces) {
            emit(h -> new ReasoningContentDelta(h, piece));
        }
        return this;
    }

    /** Emits the next event; a start or an end returns once it is committed, as with core. */
    RunEvent emit(Function<EventHeader, RunEvent> event) {
        RunEvent next = event.apply(new EventHeader(++seq, info.runId(), info.sessionId(), info.agentId(), null,
            System.currentTimeMillis() / 1000));
        recorder.onEvent(info, next);
        return next;
    }

    long lastSeq() {
        return seq;
    }
}
