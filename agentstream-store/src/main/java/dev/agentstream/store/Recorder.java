package dev.agentstream.store;

import dev.agentstream.event.RunContinued;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStarted;
import dev.agentstream.run.HistoryProvider;
import dev.agentstream.run.PausedRun;
import dev.agentstream.run.RunInfo;
import dev.agentstream.run.RunObserver;
import dev.langchain4j.data.message.ChatMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores runs while they stream, and gives new runs their session's history. Register it with the
 * runtime as both observer and history provider:
 *
 * <pre>{@code
 * AgentRuntime runtime = AgentRuntime.builder().observer(recorder).history(recorder).build();
 * }</pre>
 *
 * <p>What each event costs: {@code RunStarted} and {@code RunContinued} are committed before the
 * call returns (run row, user message, empty assistant message), so no reader sees a run that is
 * not stored. Terminal events ({@code RunCompleted}, {@code RunCancelled}, {@code RunError},
 * {@code RunPaused}) are committed before the call returns too, so a client that sees the end can
 * read the final rows. Every other event is buffered in memory and the call returns at once; the
 * writer flushes buffers every flush interval, coalescing content deltas, so a run costs
 * statements per tool call and per flush, not per token. A live run's buffer holds only what is
 * not flushed yet: the deltas are written once, to {@code run_events}, and the assistant message
 * gets its whole text from the end event.
 *
 * <p>Thread contract: thread-safe. Core calls {@link #onEvent} and {@link #onPaused} on each run's
 * producer thread, one call at a time per run, in seq order; calls for different runs run in
 * parallel. {@link #history} is called on a run's thread before its first model call. A start or
 * end waits at most the sync timeout for its commit and then throws {@link StorageException}: a
 * start that fails so ends the run with {@code RunError} before any model call (this observer is
 * {@linkplain #required() required}); an end that fails is only logged. Either way the rows are
 * still written when the database comes back. While writes are known to fail, a continue or an
 * end does not wait at all (the run's last events reach its readers at once); its rows are
 * written when the database is back. After
 * {@link Storage#close()} every call is ignored.
 */
public final class Recorder implements RunObserver, HistoryProvider {

    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);

    private final ConcurrentMap<String, LiveRun> runs;
    private final Writer writer;
    private final JdbcSessionStore store;
    private final HistoryReader historyReader;
    private final Clock clock;
    private final String nodeId;
    private final Duration syncTimeout;
    private final AtomicBoolean closed;

    Recorder(ConcurrentMap<String, LiveRun> runs, Writer writer, JdbcSessionStore store, HistoryReader historyReader,
             StorageOptions options, AtomicBoolean closed) {
        this.runs = runs;
        this.writer = writer;
        this.store = store;
        this.historyReader = historyReader;
        this.clock = options.clock();
        this.nodeId = options.nodeId();
        this.syncTimeout = options.syncTimeout();
        this.closed = closed;
    }

    /** Records one event; see the class comment for which calls wait for a commit. Producer thread. */
    @Override
    public void onEvent(RunInfo run, RunEvent event) {
        if (closed.get()) {
            return;
        }
        switch (event) {
            case RunStarted started -> start(run, started);
            case RunContinued continued -> resume(run, continued);
            default -> {
                // endsRun, not isTerminal: a team member's end ends the member's run, not the stream.
                if (event.endsRun()) {
                    end(run, event);
                } else {
                    buffer(run, event);
                }
            }
        }
    }

    /** Storage must take every run's start: a run whose start cannot be stored ends with {@code RunError}. */
    @Override
    public boolean required() {
        return true;
    }

    /** Keeps the state to continue a paused run from; it is written with the {@code RunPaused} that follows. */
    @Override
    public void onPaused(RunInfo run, PausedRun state) {
        if (closed.get()) {
            return;
        }
        LiveRun live = runs.get(run.runId());
        if (live != null) {
            live.pausing(state);
        }
    }

    /**
     * The earlier runs of the session with the same agent, at most the configured number, as the
     * model's messages (user, tool calls and results, answer), oldest first. Run thread.
     *
     * @throws StorageException if the database cannot be read; the run then fails visibly rather
     *     than answer without its context
     */
    @Override
    public List<ChatMessage> history(RunInfo run) {
        if (closed.get()) {
            return List.of();
        }
        return historyReader.read(run);
    }

    private void start(RunInfo info, RunStarted event) {
        LiveRun run = LiveRun.started(info, event, streamOf(info), nodeId, clock.millis());
        if (runs.putIfAbsent(info.runId(), run) != null) {
            throw new StorageException("run " + info.runId() + " is already being recorded in this process");
        }
        commit(run, "storing the start of run ", false);
    }

    private void resume(RunInfo info, RunContinued event) {
        LiveRun run = recording(info, false);
        if (run == null) {
            return;
        }
        run.continued(event, clock.millis());
        commit(run, "storing the continue of run ", true);
    }

    private void end(RunInfo info, RunEvent event) {
        LiveRun run = recording(info, true);
        if (run == null) {
            return;
        }
        run.finish(event, clock.millis());
        commit(run, "storing the end of run ", true);
    }

    private void buffer(RunInfo info, RunEvent event) {
        LiveRun run = runs.get(info.runId());
        if (run != null && run.isActive()) {
            run.add(event, clock.millis());
        }
    }

    /**
     * The run's buffer; for a run not recorded here (a paused run continued or cancelled, maybe after
     * a restart) a new one that goes on from the stored rows. Null if the run is not stored or no
     * longer recorded by this node ({@code ending}: then forget it).
     */
    private LiveRun recording(RunInfo info, boolean ending) {
        LiveRun run = runs.get(info.runId());
        if (run != null && !run.isDone()) {
            if (run.isActive()) {
                return run;
            }
            LOG.debug("run {} is no longer recorded here; its event is not stored", info.runId());
            if (ending) {
                runs.remove(info.runId(), run);
            }
            return null;
        }
        LiveRun resumed = store.progress(info.runId())
            .map(progress -> LiveRun.resumed(info, progress, nodeId, clock.millis()))
            .orElse(null);
        if (resumed == null) {
            LOG.debug("run {} is not stored; its event is not stored either", info.runId());
            return null;
        }
        runs.put(info.runId(), resumed);
        return resumed;
    }

    /** The top-level run of the stream {@code info}'s run writes into: its own, or its team's. */
    private String streamOf(RunInfo info) {
        String parent = info.parentRunId();
        if (parent == null) {
            return info.runId();
        }
        LiveRun parentRun = runs.get(parent);
        return parentRun != null ? parentRun.streamId() : store.streamOf(parent).orElse(parent);
    }

    /**
     * @param notDuringOutage true: while writes fail, do not wait (a start always waits: a run that
     *     cannot be stored at its start ends before it costs a model call)
     */
    private void commit(LiveRun run, String what, boolean notDuringOutage) {
        var committed = run.sync();
        writer.wakeUp();
        // While writes fail, waiting would only hold the stream's end up: the rows stay buffered and
        // are written when the database is back (the server ends runs that wait too long for it).
        CompletableFuture<?> committedOrOutage = notDuringOutage
            ? CompletableFuture.anyOf(committed, writer.outage().began()) : committed;
        try {
            Await.result(what + run.runId(), committedOrOutage, syncTimeout);
            if (!committed.isDone()) {
                LOG.debug("run {}: storage is unavailable; its rows are written when it is back", run.runId());
            }
        } catch (StorageException e) {
            if (run.isActive() || run.isDone()) {
                throw e;
            }
            // Given up (taken over, failing, or the storage closed): said once already, or expected.
            LOG.debug("run {} is no longer recorded here", run.runId());
        }
    }
}
