package dev.agentstream.server.run;

import dev.agentstream.AgentRuntime;
import dev.agentstream.RunHandle;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunPaused;
import dev.agentstream.run.RunEventLog;
import dev.agentstream.server.metrics.ServerMetrics;
import dev.agentstream.store.SessionStore;
import dev.agentstream.store.StoredRun;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reader's position in one run, and where its next events come from: the run's in-memory log
 * while the runtime holds it, the store for whatever memory no longer has (an old run, the dropped
 * head of a very long one), and the session lane while the run waits its turn. Each event is
 * delivered once, in seq order, with no gap: the position only moves forward, past the last event
 * delivered. A run executing on another node is followed through its Redis stream when the node has
 * one ({@link StreamTail}), else by polling the store.
 *
 * <p>Thread contract: not thread-safe; owned by the thread that serves one SSE connection, which
 * closes it when the stream ends.
 */
public final class RunFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunFeed.class);

    /** Where a feed stops. */
    public enum Mode {
        /** At the first terminal event: the response to one start or one continue. */
        SEGMENT,
        /** When the newest event is terminal: {@code /events}, which follows a run across its segments. */
        FOLLOW
    }

    /**
     * Events for the reader.
     *
     * @param entries new events in seq order, with the wire forms readers share, possibly none (the run is silent)
     * @param end nothing follows: the stream is complete
     */
    public record Chunk(List<RunEventLog.Entry> entries, boolean end) {
        static final Chunk SILENT = new Chunk(List.of(), false);
        static final Chunk END = new Chunk(List.of(), true);

        /** The events alone. */
        public List<RunEvent> events() {
            return entries.stream().map(RunEventLog.Entry::event).toList();
        }
    }

    private final String runId;
    private final ServerRun serverRun;
    private final AgentRuntime runtime;
    private final SessionStore store;
    private final Mode mode;
    private final Duration storePoll;
    private final ServerMetrics metrics;
    /** Null without Redis. */
    private final StreamTail elsewhere;
    private long position;
    private RunEventLog log;
    private boolean ended;

    RunFeed(String runId, ServerRun serverRun, long afterSeq, Mode mode, AgentRuntime runtime, SessionStore store,
            Duration storePoll, ServerMetrics metrics, StreamTail elsewhere) {
        this.runId = runId;
        this.serverRun = serverRun;
        this.position = afterSeq;
        this.mode = mode;
        this.runtime = runtime;
        this.store = store;
        this.storePoll = storePoll;
        this.metrics = metrics;
        this.elsewhere = elsewhere;
    }

    /** The seq of the last event delivered (or the position the reader started after). */
    public long position() {
        return position;
    }

    /**
     * The next events; waits up to {@code wait} for some and returns a silent chunk if none came.
     * Called by the connection's thread only.
     */
    public Chunk next(Duration wait) throws InterruptedException {
        if (ended) {
            return Chunk.END;
        }
        if (log == null && !attach(wait)) {
            return serverRun != null && !serverRun.started().isDone() ? Chunk.SILENT : fromElsewhere(wait);
        }
        RunEventLog.Batch batch = log.awaitAfter(position, wait);
        List<RunEventLog.Entry> entries = batch.entries();
        if (batch.truncated()) {
            entries = withStoredHead(entries);
        }
        return deliver(entries, batch.closed());
    }

    /** Finds the run in memory, waiting up to {@code wait} if it is queued. True once a log is attached. */
    private boolean attach(Duration wait) throws InterruptedException {
        Optional<RunHandle> handle = serverRun != null ? serverRun.handle() : Optional.empty();
        if (handle.isEmpty() && serverRun != null && !serverRun.started().isDone()) {
            try {
                handle = Optional.of(serverRun.started().get(wait.toNanos(), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                throw new IllegalStateException("run " + runId + " failed to start", e.getCause());
            }
        }
        if (handle.isEmpty()) {
            handle = runtime.find(runId);
        }
        if (handle.isEmpty()) {
            return false;
        }
        log = handle.get().log();
        if (mode == Mode.FOLLOW && position > 0 && pausedAt(position)) {
            // The reader already has the RunPaused that ends the run for now.
            ended = true;
        }
        return true;
    }

    private boolean pausedAt(long seq) {
        List<RunEvent> events = log.readAfter(seq - 1).events();
        return events.size() == 1 && events.get(0).seq() == seq && events.get(0) instanceof RunPaused && events.get(0).isTerminal();
    }

    /** The events memory dropped, from the store, before the ones memory still has. */
    private List<RunEventLog.Entry> withStoredHead(List<RunEventLog.Entry> inMemory) {
        long firstInMemory = inMemory.isEmpty() ? Long.MAX_VALUE : inMemory.get(0).event().seq();
        List<RunEventLog.Entry> joined = new ArrayList<>();
        for (RunEvent event : store.eventsAfter(runId, position)) {
            if (event.seq() < firstInMemory) {
                joined.add(RunEventLog.Entry.of(event));
            }
        }
        metrics.replayedFromStore(joined.size());
        joined.addAll(inMemory);
        return joined;
    }

    /** A run not in this process: from its Redis stream if there is one, else from the store. */
    private Chunk fromElsewhere(Duration wait) throws InterruptedException {
        if (elsewhere == null) {
            return fromStore(wait);
        }
        StreamTail.Step step;
        try {
            step = elsewhere.next(position, wait);
        } catch (RedisException e) {
            // Redis away or the connection dropped: the store's way until it answers again.
            LOG.debug("reading run {} from redis failed, reading the store: {}", runId, e.toString());
            step = StreamTail.Step.STORE;
        }
        if (step.useStore()) {
            return fromStore(wait);
        }
        if (step.ended()) {
            ended = true;
            return Chunk.END;
        }
        return deliver(step.entries(), false);
    }

    private Chunk fromStore(Duration wait) throws InterruptedException {
        List<RunEvent> events = store.eventsAfter(runId, position);
        if (!events.isEmpty()) {
            metrics.replayedFromStore(events.size());
            return deliver(events.stream().map(RunEventLog.Entry::of).toList(), false);
        }
        Optional<StoredRun> stored = store.findRun(runId);
        if (stored.isEmpty() || stored.get().status().isFinal() || stored.get().status() == dev.agentstream.event.RunStatus.PAUSED) {
            ended = true;
            return Chunk.END;
        }
        // Running, but not in this process (another node, or a node that died and whose lease has
        // not expired yet): poll the store until it ends.
        metrics.storePolled();
        Thread.sleep(Math.min(wait.toMillis(), storePoll.toMillis()));
        return Chunk.SILENT;
    }

    /** The part of {@code entries} after the position, up to a segment's end; no copy when that is all of it. */
    private Chunk deliver(List<RunEventLog.Entry> entries, boolean closed) {
        int from = 0;
        while (from < entries.size() && entries.get(from).event().seq() <= position) {
            from++;
        }
        int to = from;
        while (to < entries.size()) {
            RunEvent event = entries.get(to++).event();
            position = event.seq();
            if (mode == Mode.SEGMENT && event.isTerminal()) {
                ended = true;
                break;
            }
        }
        List<RunEventLog.Entry> out = from == 0 && to == entries.size() ? entries : entries.subList(from, to);
        if (mode == Mode.FOLLOW && !out.isEmpty() && out.get(out.size() - 1).event().isTerminal()) {
            ended = true;
        }
        if (closed && log != null && position >= log.lastSeq()) {
            ended = true;
        }
        return new Chunk(out, ended);
    }

    /** Lets go of the Redis connection a reader of another node's run may hold. */
    @Override
    public void close() {
        if (elsewhere != null) {
            elsewhere.close();
        }
    }
}
