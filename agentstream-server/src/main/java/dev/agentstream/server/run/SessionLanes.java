package dev.agentstream.server.run;

import dev.agentstream.RunHandle;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One lane per session with a run going: the run that runs now and the runs waiting their turn
 * ({@link Multitask#ENQUEUE}). The lane decides; it never starts or cancels a run itself while
 * holding its lock (starting records, cancelling closes connections): it returns what to do.
 *
 * <p>A paused run does not hold its lane: the session is free until someone continues it.
 *
 * <p>Thread contract: thread-safe. Request threads admit and cancel; the thread that sees a run's
 * segment end advances the lane. Lanes without runs are removed, so memory follows live sessions.
 */
final class SessionLanes {

    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final int maxWaiting;

    SessionLanes(int maxWaiting) {
        this.maxWaiting = maxWaiting;
    }

    /** A run that may start now, with what starts it. */
    record Start(ServerRun run, Consumer<ServerRun> starter) {
    }

    /** What admission decided; the caller carries out {@code toCancel}, then {@code toStart}. */
    sealed interface Admission {

        /** Runs to start now (another run may have become due while admitting this one). */
        List<Start> toStart();

        /** Admitted: it starts now or waits its turn. */
        record Admitted(List<Start> toStart, List<ServerRun> toCancel, boolean queued) implements Admission {
        }

        /** The session has a run going and the strategy is reject. */
        record Busy(String activeRunId, List<Start> toStart) implements Admission {
        }

        /** Too many runs wait in this session already. */
        record QueueFull(int waiting, List<Start> toStart) implements Admission {
        }

        /** The session is someone else's. */
        record Foreign(List<Start> toStart) implements Admission {
        }
    }

    /** Admits a new run to its session's lane. */
    Admission admit(ServerRun run, Multitask strategy, Consumer<ServerRun> starter) {
        while (true) {
            Lane lane = lanes.computeIfAbsent(run.sessionId(), id -> new Lane(run.userId()));
            lane.lock.lock();
            try {
                if (lane.retired) {
                    continue;
                }
                if (!lane.userId.equals(run.userId())) {
                    return new Admission.Foreign(List.of());
                }
                List<Start> toStart = new ArrayList<>(lane.advanceLocked());
                Start start = new Start(run, starter);
                if (lane.active == null) {
                    lane.active = run;
                    toStart.add(start);
                    return new Admission.Admitted(toStart, List.of(), false);
                }
                switch (strategy) {
                    case REJECT -> {
                        return new Admission.Busy(lane.active.runId(), toStart);
                    }
                    case ENQUEUE -> {
                        if (lane.waiting.size() >= maxWaiting) {
                            return new Admission.QueueFull(lane.waiting.size(), toStart);
                        }
                        lane.waiting.add(start);
                        return new Admission.Admitted(toStart, List.of(), true);
                    }
                    case INTERRUPT -> {
                        List<ServerRun> toCancel = new ArrayList<>();
                        toCancel.add(lane.active);
                        for (Start waiting : lane.waiting) {
                            toCancel.add(waiting.run());
                            // Started only to be cancelled at once, so its readers see RunCancelled.
                            toStart.add(waiting);
                        }
                        lane.waiting.clear();
                        lane.waiting.add(start);
                        return new Admission.Admitted(toStart, toCancel, true);
                    }
                    default -> throw new IllegalStateException("strategy: " + strategy);
                }
            } finally {
                lane.lock.unlock();
            }
        }
    }

    /**
     * Takes a waiting run out of its lane, so it can be started and cancelled at once. Returns the
     * start if it was waiting, empty if it had started (or left) already.
     */
    Optional<Start> removeWaiting(ServerRun run) {
        Lane lane = lanes.get(run.sessionId());
        if (lane == null) {
            return Optional.empty();
        }
        lane.lock.lock();
        try {
            for (Start waiting : lane.waiting) {
                if (waiting.run() == run) {
                    lane.waiting.remove(waiting);
                    return Optional.of(waiting);
                }
            }
            return Optional.empty();
        } finally {
            lane.lock.unlock();
        }
    }

    /** Takes every waiting run out of every lane (shutdown): they are started only to be cancelled. */
    List<Start> drainWaiting() {
        List<Start> drained = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            lane.lock.lock();
            try {
                drained.addAll(lane.waiting);
                lane.waiting.clear();
            } finally {
                lane.lock.unlock();
            }
        }
        return drained;
    }

    /** A continued run runs in its session again: it holds the lane if the lane is free. */
    void continued(ServerRun run) {
        Lane lane = lanes.computeIfAbsent(run.sessionId(), id -> new Lane(run.userId()));
        lane.lock.lock();
        try {
            if (!lane.retired && (lane.active == null || segmentEnded(lane.active))) {
                lane.active = run;
            }
        } finally {
            lane.lock.unlock();
        }
    }

    /** A run's segment ended: the next waiting run may start. Returns what to start. */
    List<Start> advance(String sessionId) {
        Lane lane = lanes.get(sessionId);
        if (lane == null) {
            return List.of();
        }
        lane.lock.lock();
        try {
            List<Start> toStart = lane.advanceLocked();
            if (lane.active == null && lane.waiting.isEmpty() && !lane.retired) {
                lane.retired = true;
                lanes.remove(sessionId, lane);
            }
            return toStart;
        } finally {
            lane.lock.unlock();
        }
    }

    /** The run going in the session now, if any. */
    Optional<ServerRun> active(String sessionId) {
        Lane lane = lanes.get(sessionId);
        if (lane == null) {
            return Optional.empty();
        }
        lane.lock.lock();
        try {
            return Optional.ofNullable(lane.active).filter(run -> !segmentEnded(run));
        } finally {
            lane.lock.unlock();
        }
    }

    /**
     * True once the run's current segment is over. The log is checked as well as the status: a
     * reader may see the terminal event (and a client send its next message) a moment before the
     * run's status changes.
     */
    static boolean segmentEnded(ServerRun run) {
        if (run.started().isCompletedExceptionally()) {
            return true;
        }
        Optional<RunHandle> handle = run.handle();
        if (handle.isEmpty()) {
            return false;
        }
        if (handle.get().status() != RunStatus.RUNNING) {
            return true;
        }
        long last = handle.get().log().lastSeq();
        List<RunEvent> tail = handle.get().log().readAfter(last - 1).events();
        return !tail.isEmpty() && tail.get(tail.size() - 1).isTerminal();
    }

    /** One session's runs. Guarded by {@code lock}. */
    private static final class Lane {
        final ReentrantLock lock = new ReentrantLock();
        final String userId;
        final Deque<Start> waiting = new ArrayDeque<>();
        ServerRun active;
        boolean retired;

        Lane(String userId) {
            this.userId = userId;
        }

        /** If the active run's segment ended, the next waiting run becomes active; returns it to start. */
        List<Start> advanceLocked() {
            if (active == null || !segmentEnded(active)) {
                return List.of();
            }
            Start next = waiting.poll();
            active = next == null ? null : next.run();
            return next == null ? List.of() : List.of(next);
        }
    }
}
