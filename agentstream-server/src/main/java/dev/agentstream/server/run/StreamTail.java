package dev.agentstream.server.run;

import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.redis.RunStreamReader;
import dev.agentstream.run.RunEventLog;
import dev.agentstream.server.metrics.ServerMetrics;
import dev.agentstream.store.SessionStore;
import dev.agentstream.store.StoredRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A reader's events of a run that executes on another node, from the run's Redis stream: first the
 * replay after the reader's position, then live as the run's owner announces each batch (one
 * subscription per run on this node, shared by its readers), no store polling. What the stream no
 * longer has (its head trimmed while the run goes on, or an event that did not reach Redis) comes
 * from the store first, so the reader gets every seq once, in order. When the stream is gone (its
 * retention passed, or Redis lost it) the caller reads the store as a node without Redis does.
 *
 * <p>Thread contract: not thread-safe; owned by the reader's thread.
 */
final class StreamTail implements AutoCloseable {

    /** Events read from Redis at once, at most. */
    static final int BATCH = 500;
    /** Quiet waits (of up to a second each) after which the store is asked whether the run ended without the stream hearing of it. */
    static final int QUIET_WAITS_BEFORE_CHECK = 10;

    /** What the stream gave: events to deliver, or that the reader must take the store's way. */
    record Step(List<RunEventLog.Entry> entries, boolean ended, boolean useStore) {
        static final Step STORE = new Step(List.of(), false, true);
        static final Step QUIET = new Step(List.of(), false, false);
        static final Step ENDED = new Step(List.of(), true, false);
    }

    private final String runId;
    private final RunStreamReader reader;
    private final SessionStore store;
    private final ServerMetrics metrics;
    private final Duration storePoll;
    private boolean caughtUp;
    private int quietWaits;

    StreamTail(String runId, RunStreamReader reader, SessionStore store, ServerMetrics metrics, Duration storePoll) {
        this.runId = runId;
        this.storePoll = storePoll;
        this.reader = reader;
        this.store = store;
        this.metrics = metrics;
    }

    /** The events after {@code position}: at once while replaying, else waiting up to {@code wait}. */
    Step next(long position, Duration wait) throws InterruptedException {
        List<RunEvent> events;
        if (!caughtUp) {
            events = reader.readAfter(position, BATCH);
            if (events.isEmpty()) {
                Optional<RunEvent> newest = reader.newest();
                if (newest.isEmpty()) {
                    return Step.STORE;
                }
                caughtUp = true;
                if (newest.get().seq() <= position && newest.get().isTerminal()) {
                    // The reader already has the event that ends the run (for now, if it paused).
                    return Step.ENDED;
                }
                return Step.QUIET;
            }
        } else {
            events = reader.awaitAfter(position, BATCH, wait);
            if (events.isEmpty()) {
                return quiet(position);
            }
        }
        quietWaits = 0;
        List<RunEventLog.Entry> entries = contiguousAfter(position, events);
        if (entries.isEmpty()) {
            // A hole the store cannot fill yet (its flush is on the way): wait for it as a node without Redis would.
            metrics.storePolled();
            Thread.sleep(Math.min(wait.toMillis(), storePoll.toMillis()));
            return Step.QUIET;
        }
        return new Step(entries, false, false);
    }

    /** A wait with nothing new; now and then, whether the run ended where the stream cannot tell. */
    private Step quiet(long position) {
        if (++quietWaits < QUIET_WAITS_BEFORE_CHECK) {
            return Step.QUIET;
        }
        quietWaits = 0;
        if (reader.newest().isEmpty()) {
            return Step.STORE;
        }
        metrics.storePolled();
        Optional<StoredRun> stored = store.findRun(runId);
        if (stored.isEmpty()) {
            return Step.STORE;
        }
        boolean over = stored.get().status().isFinal() || stored.get().status() == RunStatus.PAUSED;
        return over && stored.get().lastSeq() > position ? Step.STORE : Step.QUIET;
    }

    /**
     * The events from {@code position + 1} on with no hole: what the stream lacks before its first
     * event comes from the store, and the events stop before any later hole (the next read fills it).
     */
    private List<RunEventLog.Entry> contiguousAfter(long position, List<RunEvent> fromStream) {
        List<RunEventLog.Entry> out = new ArrayList<>();
        long next = position + 1;
        if (fromStream.getFirst().seq() > next) {
            for (RunEvent event : store.eventsAfter(runId, position)) {
                if (event.seq() != next || event.seq() >= fromStream.getFirst().seq()) {
                    break;
                }
                out.add(RunEventLog.Entry.of(event));
                next++;
            }
            metrics.replayedFromStore(out.size());
        }
        for (RunEvent event : fromStream) {
            if (event.seq() < next) {
                continue;
            }
            if (event.seq() != next) {
                break;
            }
            out.add(RunEventLog.Entry.of(event));
            next++;
        }
        metrics.replayedFromRedis(out.size());
        return out;
    }

    @Override
    public void close() {
        reader.close();
    }
}
