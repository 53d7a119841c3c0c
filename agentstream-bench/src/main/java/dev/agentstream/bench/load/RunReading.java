package dev.agentstream.bench.load;

import java.io.IOException;
import java.util.Set;

/**
 * Reads one run's stream the way a careful client does: every event's {@code seq} must follow the
 * previous one (no gap, no duplicate, also across a reconnect or a continue), a {@code RunStarted}
 * counts as a run the server must store, and reading stops at a terminal event.
 */
final class RunReading {

    private static final Set<String> TERMINAL = Set.of("RunCompleted", "RunCancelled", "RunError", "RunPaused");

    private final SoakTally tally;
    private long lastSeq;
    private int contentFrames;
    private String runId;

    /** Reading from the start of a run, or after {@code lastSeq} (a reconnect, a continue). */
    RunReading(SoakTally tally, long lastSeq, String runId) {
        this.tally = tally;
        this.lastSeq = lastSeq;
        this.runId = runId;
    }

    /** The next frame, checked; null when the stream ended without one. */
    SseExchange.Frame next(SseExchange exchange) throws IOException, SoakFailure {
        SseExchange.Frame frame = exchange.next();
        if (frame == null) {
            return null;
        }
        if (frame.seq() != lastSeq + 1) {
            throw new SoakFailure("run " + runId + ": " + frame.event() + " has seq " + frame.seq() + " after " + lastSeq);
        }
        lastSeq = frame.seq();
        if ("RunStarted".equals(frame.event())) {
            runId = frame.field("run_id");
            tally.runStarted();
        } else if ("RunContent".equals(frame.event())) {
            contentFrames++;
        }
        return frame;
    }

    /** Reads until {@code count} content frames arrived in all. */
    void untilContent(SseExchange exchange, int count) throws IOException, SoakFailure {
        while (contentFrames < count) {
            SseExchange.Frame frame = next(exchange);
            if (frame == null || TERMINAL.contains(frame.event())) {
                throw new SoakFailure("run " + runId + " ended after " + contentFrames + " content events, expected "
                    + count + " before stopping it");
            }
        }
    }

    /** Reads to the terminal event and fails unless it is {@code expected}; returns it. */
    SseExchange.Frame toEnd(SseExchange exchange, String expected) throws IOException, SoakFailure {
        for (SseExchange.Frame frame = next(exchange); frame != null; frame = next(exchange)) {
            if (TERMINAL.contains(frame.event())) {
                if (!expected.equals(frame.event())) {
                    throw new SoakFailure("run " + runId + " ended with " + frame.event() + ", expected " + expected
                        + ": " + frame.data());
                }
                return frame;
            }
        }
        throw new SoakFailure("run " + runId + ": the stream closed before " + expected + " (last seq " + lastSeq + ")");
    }

    String runId() throws SoakFailure {
        if (runId == null) {
            throw new SoakFailure("no RunStarted with a run_id");
        }
        return runId;
    }

    long lastSeq() {
        return lastSeq;
    }
}
