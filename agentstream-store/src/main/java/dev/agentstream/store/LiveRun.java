package dev.agentstream.store;

import dev.agentstream.event.EventJson;
import dev.agentstream.event.ReasoningContentDelta;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.event.ToolCallCompleted;
import dev.agentstream.event.ToolCallError;
import dev.agentstream.event.ToolCallStarted;
import dev.agentstream.event.ToolExecution;
import dev.agentstream.run.PausedRun;
import dev.agentstream.run.RunEventLog;
import dev.agentstream.run.RunInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one run has emitted that is not committed yet, and how far its rows in the database go.
 * The producer adds events; the writer turns the difference into a {@link Unit} of rows and, once
 * committed, acknowledges it. Nothing is dropped before it is acknowledged, so a failed commit is
 * simply retried by the next unit, which holds everything still pending.
 *
 * <p>It holds only what is not committed: the answer's deltas go into {@code run_events} rows and
 * are dropped once written; the assistant message gets its whole text once, when the segment ends,
 * from the end event (or, when that does not carry it, read back by {@link FlushedAnswer}).
 *
 * <p>Thread contract: one producer at a time adds events (core calls observers under the run's
 * emit lock); the writer thread prepares, acknowledges and fails units, one unit at a time. A
 * {@link ReentrantLock} guards the state and is held for in-memory work only, never for I/O.
 */
final class LiveRun {

    /** Failures of a run's own rows, with the database otherwise working, before the run is given up. */
    static final int MAX_FAILURES = 5;

    enum State {
        /** Recording. */
        ACTIVE,
        /** The segment's end is committed; nothing more to write. */
        DONE,
        /** Another node took the run over; this node writes nothing more for it. */
        LOST,
        /** Its rows keep failing; given up. */
        BROKEN,
        /** The storage closed while the run was live. */
        CLOSED
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final RunInfo info;
    private final String streamId;
    private final boolean team;
    private final String nodeId;
    private final String userMessageId;
    private final String assistantMessageId;
    private final long startedAtMillis;
    /** Deltas of this run numbered after it are not in its assistant message's columns yet. */
    private final long startSeq;

    private State state = State.ACTIVE;
    private boolean needsInsert;
    private boolean needsClaim;
    /** Rows of tool messages and events, in event order; the first {@code inFlight.pendingRows} are being written. */
    private final ArrayList<Row> pending = new ArrayList<>();
    private EventRows.Batch openBatch;
    /** Reasoning may be stored for this run: an end that does not carry it then reads it back. */
    private boolean mayHaveReasoning;
    private int nextOrdinal;
    private long lastSeq;
    private SegmentEnd finish;
    private PausedRun pausedState;
    private long leaseWrittenAtMillis;
    private int failures;
    /** Roughly the memory of the events not committed yet ({@link RunEventLog#estimateBytes}). */
    private long unwrittenBytes;
    private Mark inFlight;
    private final List<CompletableFuture<Void>> waiters = new ArrayList<>();

    private LiveRun(RunInfo info, String streamId, boolean team, String nodeId, String userMessageId,
                    String assistantMessageId, long startedAtMillis, boolean mayHaveReasoning, int nextOrdinal,
                    long storedSeq) {
        this.info = info;
        this.streamId = streamId;
        this.team = team;
        this.nodeId = nodeId;
        this.userMessageId = userMessageId;
        this.assistantMessageId = assistantMessageId;
        this.startedAtMillis = startedAtMillis;
        this.mayHaveReasoning = mayHaveReasoning;
        this.nextOrdinal = nextOrdinal;
        this.startSeq = storedSeq;
        this.lastSeq = storedSeq;
        this.leaseWrittenAtMillis = startedAtMillis;
    }

    /**
     * A run that just started: its run row and first messages are still to be written.
     *
     * @param streamId the top-level run whose stream the run's events go into (itself, unless a team member)
     */
    static LiveRun started(RunInfo info, RunEvent runStarted, String streamId, String nodeId, long nowMillis) {
        LiveRun run = new LiveRun(info, streamId, runStarted.teamId() != null, nodeId, UUID.randomUUID().toString(),
            UUID.randomUUID().toString(), nowMillis, false, 2, runStarted.seq());
        run.needsInsert = true;
        run.add(runStarted, nowMillis);
        return run;
    }

    /** A run whose rows exist (paused, now continued or cancelled): recording goes on from what is stored. */
    static LiveRun resumed(RunInfo info, StoredProgress stored, String nodeId, long nowMillis) {
        return new LiveRun(info, stored.streamId(), stored.team(), nodeId, stored.userMessageId(),
            stored.assistantMessageId(), nowMillis, true, stored.maxOrdinal() + 1, stored.lastSeq());
    }

    /** Where a stored run's rows stand, to resume recording it. */
    record StoredProgress(String streamId, boolean team, String userMessageId, String assistantMessageId, int maxOrdinal,
                          long lastSeq) {
    }

    String runId() {
        return info.runId();
    }

    /** The top-level run whose stream this run's events belong to. */
    String streamId() {
        return streamId;
    }

    /** Roughly the memory the run's events not committed yet take. Any thread. */
    long unwrittenBytes() {
        lock.lock();
        try {
            return unwrittenBytes;
        } finally {
            lock.unlock();
        }
    }

    /** True while events of this run are recorded. Any thread. */
    boolean isActive() {
        lock.lock();
        try {
            return state == State.ACTIVE;
        } finally {
            lock.unlock();
        }
    }

    // ---- producer side --------------------------------------------------------------------------

    /** Buffers a non-terminal event. Producer thread. */
    void add(RunEvent event, long nowMillis) {
        lock.lock();
        try {
            addLocked(event, nowMillis);
        } finally {
            lock.unlock();
        }
    }

    private void addLocked(RunEvent event, long nowMillis) {
        lastSeq = event.seq();
        unwrittenBytes += RunEventLog.estimateBytes(event);
        if (EventRows.isDelta(event)) {
            mayHaveReasoning |= event instanceof ReasoningContentDelta;
            if (openBatch != null && openBatch.accepts(event)) {
                openBatch.add(event);
            } else {
                sealBatch();
                openBatch = new EventRows.Batch(event, streamId);
            }
            return;
        }
        sealBatch();
        switch (event) {
            case ToolCallStarted e -> pending.add(toolMessage(e.tool(), nowMillis));
            case ToolCallCompleted e -> pending.add(Row.of(Write.FINISH_TOOL_MESSAGE, Row.text(e.tool().result()),
                Row.text(null), nowMillis, info.runId(), e.tool().toolCallId()));
            case ToolCallError e -> pending.add(Row.of(Write.FINISH_TOOL_MESSAGE, Row.text(e.tool().result()),
                Row.text(e.error()), nowMillis, info.runId(), e.tool().toolCallId()));
            default -> {
            }
        }
        pending.add(EventRows.single(event, streamId));
    }

    private Row toolMessage(ToolExecution tool, long nowMillis) {
        String arguments = tool.toolArgs() == null ? null : EventJson.write(tool.toolArgs());
        return Row.of(Write.INSERT_MESSAGE, UUID.randomUUID().toString(), info.sessionId(), info.runId(), nextOrdinal++,
            "tool", Row.text(null), Row.text(null), Row.text(tool.toolCallId()), Row.text(tool.toolName()),
            Row.text(arguments), nowMillis, Row.bigint(null), false, Row.text(null), Row.bigint(null));
    }

    private void sealBatch() {
        if (openBatch != null) {
            pending.add(openBatch.seal());
            openBatch = null;
        }
    }

    /** A paused run goes on here: take it over, unless its pause was never written. Producer thread. */
    void continued(RunEvent runContinued, long nowMillis) {
        lock.lock();
        try {
            if (finish != null && (inFlight == null || inFlight.finish != finish)) {
                // The pause is not written yet: it simply never happens in the database.
                finish = null;
            } else {
                needsClaim = true;
            }
            addLocked(runContinued, nowMillis);
        } finally {
            lock.unlock();
        }
    }

    /** Keeps what a pause needs to continue, for the {@code RunPaused} that follows. Producer thread. */
    void pausing(PausedRun state) {
        lock.lock();
        try {
            pausedState = state;
        } finally {
            lock.unlock();
        }
    }

    /** Buffers the end of a segment. Producer thread. */
    void finish(RunEvent terminal, long nowMillis) {
        lock.lock();
        try {
            addLocked(terminal, nowMillis);
            finish = SegmentEnd.of(terminal, pausedState, nowMillis);
            pausedState = null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A future completed once everything buffered now is committed (or failed with a
     * {@link StorageException} if the run is given up). Producer thread.
     */
    CompletableFuture<Void> sync() {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        lock.lock();
        try {
            if (state == State.ACTIVE) {
                waiters.add(waiter);
                return waiter;
            }
            if (state == State.DONE) {
                waiter.complete(null);
                return waiter;
            }
        } finally {
            lock.unlock();
        }
        waiter.completeExceptionally(givenUp());
        return waiter;
    }

    // ---- writer side ----------------------------------------------------------------------------

    /** True if a producer waits for a commit. Writer thread. */
    boolean isUrgent() {
        lock.lock();
        try {
            return state == State.ACTIVE && !waiters.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The rows that bring the database up to date with this run, or null if it is up to date (then
     * any waiters are released at once). Writer thread; at most one unit per run is in flight.
     */
    Unit prepare(long nowMillis, long leaseMillis) {
        List<CompletableFuture<Void>> release;
        lock.lock();
        try {
            if (state != State.ACTIVE) {
                return null;
            }
            sealBatch();
            boolean leaseDue = nowMillis - leaseWrittenAtMillis >= leaseMillis / 3;
            boolean dirty = needsInsert || needsClaim || finish != null || !pending.isEmpty() || leaseDue;
            if (dirty) {
                return prepareLocked(nowMillis, nowMillis + leaseMillis, leaseDue);
            }
            release = List.copyOf(waiters);
            waiters.clear();
        } finally {
            lock.unlock();
        }
        release.forEach(w -> w.complete(null));
        return null;
    }

    /**
     * The whole answer, written once as its segment ends (a pause included). The end event carries
     * it; what it does not carry (the reasoning of a cancel or an error) is read back from the rows.
     */
    private Row finishMessage(SegmentEnd end) {
        Object text = end.content() != null ? Row.text(end.content())
            : new FlushedAnswer.Ref(assistantMessageId, FlushedAnswer.Part.CONTENT);
        Object thinking = end.reasoning() != null ? Row.text(end.reasoning())
            : mayHaveReasoning ? new FlushedAnswer.Ref(assistantMessageId, FlushedAnswer.Part.REASONING) : Row.text(null);
        return Row.of(Write.FINISH_MESSAGE, text, thinking, end.seq(), Row.bigint(end.completedAt()), end.interrupted(),
            Row.text(end.error()), assistantMessageId);
    }

    private Unit prepareLocked(long nowMillis, long leaseUntil, boolean leaseDue) {
        List<Row> rows = new ArrayList<>(pending.size() + 8);
        String runId = info.runId();
        boolean finishing = finish != null && finish.status() != RunStatus.PAUSED;
        if (needsInsert) {
            rows.add(Row.of(Write.UPSERT_SESSION, info.sessionId(), info.userId(), info.agentId(), Row.text(title(info.message())),
                startedAtMillis, startedAtMillis));
            rows.add(Row.of(Write.INSERT_RUN, runId, info.sessionId(), Row.text(info.parentRunId()),
                Row.text(info.delegationCallId()), streamId,
                info.agentId(), team, info.userId(), userMessageId, assistantMessageId, startedAtMillis, nodeId,
                leaseUntil, info.sessionId()));
            rows.add(Row.of(Write.INSERT_MESSAGE, userMessageId, info.sessionId(), runId, 0, "user", Row.text(info.message()),
                Row.text(null), Row.text(null), Row.text(null), Row.text(null), startedAtMillis, startedAtMillis, false,
                Row.text(null), Row.bigint(null)));
            // Empty until the segment ends: what streams meanwhile is in the run's event rows.
            rows.add(Row.of(Write.INSERT_MESSAGE, assistantMessageId, info.sessionId(), runId, 1, "assistant", "",
                Row.text(null), Row.text(null), Row.text(null), Row.text(null), startedAtMillis, Row.bigint(null), false,
                Row.text(null), startSeq));
        } else if (needsClaim) {
            rows.add(Row.of(Write.CLAIM_RUN, nodeId, leaseUntil, runId, nodeId));
        } else if (finish == null && leaseDue) {
            rows.add(Row.of(Write.RENEW_RUN, leaseUntil, runId, nodeId));
        }
        boolean leaseWritten = needsInsert || needsClaim || (finish == null && leaseDue);
        // Without a run-row write to fence on, the group commit checks that this node still owns the run.
        boolean checkOwner = !leaseWritten && finish == null;
        if (finish != null) {
            SegmentEnd f = finish;
            rows.add(Row.of(Write.FINISH_RUN, f.status().name(), Row.bigint(f.completedAt()), Row.text(f.error()),
                Row.text(f.cancelReason()), Row.bigint(f.inputTokens()), Row.bigint(f.outputTokens()),
                Row.bigint(f.totalTokens()), Row.text(f.pausedStateJson()), nodeId, runId, nodeId));
            rows.add(finishMessage(f));
        }
        if (finishing) {
            if (finish.interrupted()) {
                rows.add(Row.of(Write.INTERRUPT_OPEN_TOOLS, finish.completedAt(), runId));
            }
            rows.add(Row.of(Write.TOUCH_SESSION, finish.completedAt(), info.sessionId()));
        }
        rows.addAll(pending);
        // Every event buffered so far is in this unit: its bytes are what a commit frees.
        inFlight = new Mark(pending.size(), unwrittenBytes, needsInsert, needsClaim, finish,
            leaseWritten ? nowMillis : leaseWrittenAtMillis, List.copyOf(waiters));
        waiters.clear();
        return new Unit(this, rows, checkOwner);
    }

    /**
     * The unit is committed: drop what it wrote. Returns the waiters to release, which the writer
     * does after it stopped tracking a run that is done. Writer thread.
     */
    List<CompletableFuture<Void>> acknowledge() {
        lock.lock();
        try {
            Mark mark = inFlight;
            inFlight = null;
            pending.subList(0, mark.pendingRows).clear();
            unwrittenBytes -= mark.unwrittenBytes;
            if (mark.inserted) {
                needsInsert = false;
            }
            if (mark.claimed) {
                needsClaim = false;
            }
            leaseWrittenAtMillis = mark.leaseWrittenAtMillis;
            failures = 0;
            if (mark.finish != null && mark.finish == finish) {
                finish = null;
                // A continue that came while the pause was being written still has its claim to make.
                if (!needsClaim) {
                    state = State.DONE;
                    // The producer may have asked for its commit after this unit was prepared: the
                    // writer stops tracking a done run, so its waiters are released with this unit.
                    List<CompletableFuture<Void>> release = new ArrayList<>(mark.waiters);
                    release.addAll(waiters);
                    waiters.clear();
                    return release;
                }
            }
            return mark.waiters;
        } finally {
            lock.unlock();
        }
    }

    /** True once the end of the run's segment is committed. Writer thread. */
    boolean isDone() {
        lock.lock();
        try {
            return state == State.DONE;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The unit failed and nothing of it was committed; the next unit retries it. A run whose own
     * rows fail {@link #MAX_FAILURES} times in a row while the database works is given up.
     * Writer thread.
     *
     * @return true if the run was given up now
     */
    boolean failed(boolean countsAgainstRun) {
        List<CompletableFuture<Void>> release = List.of();
        boolean givenUp;
        lock.lock();
        try {
            Mark mark = inFlight;
            inFlight = null;
            waiters.addAll(0, mark.waiters);
            if (countsAgainstRun && ++failures >= MAX_FAILURES) {
                state = State.BROKEN;
                release = List.copyOf(waiters);
                waiters.clear();
            }
            givenUp = state == State.BROKEN;
        } finally {
            lock.unlock();
        }
        StorageException e = givenUp();
        release.forEach(w -> w.completeExceptionally(e));
        return givenUp;
    }

    /**
     * The storage closed: nothing more is written for this run, and a producer waiting for a commit
     * is released. Called once the writer thread stopped.
     */
    void close() {
        List<CompletableFuture<Void>> release;
        lock.lock();
        try {
            if (state != State.ACTIVE) {
                return;
            }
            state = State.CLOSED;
            release = List.copyOf(waiters);
            waiters.clear();
        } finally {
            lock.unlock();
        }
        StorageException e = givenUp();
        release.forEach(w -> w.completeExceptionally(e));
    }

    /** Another node owns the run now (its lease expired here). Writer thread. */
    void lost() {
        List<CompletableFuture<Void>> release;
        lock.lock();
        try {
            state = State.LOST;
            release = new ArrayList<>(inFlight.waiters);
            inFlight = null;
            release.addAll(waiters);
            waiters.clear();
        } finally {
            lock.unlock();
        }
        StorageException e = givenUp();
        release.forEach(w -> w.completeExceptionally(e));
    }

    private StorageException givenUp() {
        return new StorageException("run " + info.runId() + " is no longer recorded by node " + nodeId + " (" + state + ")");
    }

    /** The session title: the first line of the first message, cut to 100 characters. */
    static String title(String message) {
        String line = message.strip().lines().findFirst().orElse("");
        return line.length() <= 100 ? line : line.substring(0, 99) + "…";
    }

    /**
     * What a group commit writes for one run.
     *
     * @param checkOwner no row of the unit fences on the run's ownership: check it before writing
     */
    record Unit(LiveRun run, List<Row> rows, boolean checkOwner) {
    }

    /** How far an in-flight unit goes, to acknowledge it. */
    private record Mark(int pendingRows, long unwrittenBytes, boolean inserted, boolean claimed, SegmentEnd finish,
                        long leaseWrittenAtMillis, List<CompletableFuture<Void>> waiters) {
    }
}
