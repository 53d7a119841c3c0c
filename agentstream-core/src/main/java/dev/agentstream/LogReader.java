package dev.agentstream;

import dev.agentstream.event.RunEvent;
import dev.agentstream.run.EventReplay;
import dev.agentstream.run.EventsLostException;
import dev.agentstream.run.RunEventLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One in-process reader's position in a run's log, read without a gap: when the reader fell behind
 * the log's retention, the dropped head comes from the runtime's {@link EventReplay}; when that
 * cannot give it (after a short wait for storage to catch up), the read fails with
 * {@link EventsLostException}. Never a silent skip.
 *
 * <p>Thread contract: not thread-safe; owned by the one thread that reads.
 */
final class LogReader {

    /** How long a store may lag behind (it flushes every few hundred ms) before dropped events count as lost. */
    private static final Duration REPLAY_CATCH_UP = Duration.ofSeconds(5);
    private static final long REPLAY_POLL_MILLIS = 50;

    private final RunEventLog log;
    private final String runId;
    private final EventReplay replay;
    private long position;

    LogReader(RunEventLog log, String runId, EventReplay replay, long afterSeq) {
        this.log = log;
        this.runId = runId;
        this.replay = replay;
        this.position = afterSeq;
    }

    /** What one read gave: the events after the position, and whether the log ended with them. */
    record Read(List<RunEvent> events, boolean closed) {
    }

    /**
     * The events after the position, waiting up to {@code wait} for one; none on timeout.
     *
     * @throws EventsLostException if events after the position were dropped and no store gives them
     */
    Read next(Duration wait) throws InterruptedException {
        RunEventLog.Batch batch = log.awaitAfter(position, wait);
        List<RunEvent> events = batch.truncated() ? withReplayedHead(batch.events()) : batch.events();
        return new Read(events, batch.closed());
    }

    /** Moves the position past an event handed to the reader. */
    void delivered(RunEvent event) {
        position = event.seq();
    }

    private List<RunEvent> withReplayedHead(List<RunEvent> inMemory) throws InterruptedException {
        long needUpTo = inMemory.isEmpty() ? log.lastSeq() : inMemory.get(0).seq() - 1;
        long deadline = System.nanoTime() + (replay == EventReplay.NONE ? 0 : REPLAY_CATCH_UP.toNanos());
        while (true) {
            List<RunEvent> head = contiguousHead(replay.eventsAfter(runId, position), needUpTo);
            if (head.size() == needUpTo - position) {
                List<RunEvent> joined = new ArrayList<>(head.size() + inMemory.size());
                joined.addAll(head);
                joined.addAll(inMemory);
                return joined;
            }
            if (System.nanoTime() >= deadline) {
                throw new EventsLostException(runId, position + 1 + head.size(), needUpTo);
            }
            // The store writes in batches: what it lacks now may be there in a moment.
            Thread.sleep(REPLAY_POLL_MILLIS);
        }
    }

    /** The stored events that follow the position one by one, up to {@code needUpTo}. */
    private List<RunEvent> contiguousHead(List<RunEvent> stored, long needUpTo) {
        List<RunEvent> head = new ArrayList<>();
        long expected = position + 1;
        for (RunEvent event : stored) {
            if (event.seq() > needUpTo || event.seq() != expected) {
                break;
            }
            head.add(event);
            expected++;
        }
        return head;
    }
}
