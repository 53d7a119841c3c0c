package dev.agentstream.server.run;

import dev.agentstream.AgentRuntime;
import dev.agentstream.RunHandle;
import dev.agentstream.RunOutput;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunStatus;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.store.StoredRun;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops runs: a cancel asked for by their owner, the last reader gone under the {@code cancel}
 * policy, runs waiting their turn when the server shuts down. A run still waiting its turn is
 * taken out of its lane and started with the cancel already requested, so it ends at once with
 * {@code RunCancelled} and is stored like any other.
 *
 * <p>Thread contract: thread-safe and stateless; called on request threads, connection threads
 * and the shutdown thread.
 */
final class RunStopper {

    private final AgentRuntime runtime;
    private final SessionLanes lanes;
    private final Duration cancelWait;

    RunStopper(AgentRuntime runtime, SessionLanes lanes, Duration cancelWait) {
        this.runtime = runtime;
        this.lanes = lanes;
        this.cancelWait = cancelWait;
    }

    /**
     * Stops a run. Idempotent: a run already stopped by a cancel answers with its status again. (A
     * stored paused run is ended by {@link RunService#cancel} from its state, not here.)
     *
     * @throws ApiError 409 if it completed or failed
     */
    RunService.Cancelled cancel(RunRef ref) throws InterruptedException {
        return switch (ref) {
            case RunRef.Live live -> cancelLive(live.run());
            case RunRef.Stored stored -> cancelStored(stored.run());
        };
    }

    private RunService.Cancelled cancelLive(ServerRun run) throws InterruptedException {
        RunStatus status = run.status();
        if (status.isFinal()) {
            return stoppedAlready(run.runId(), status);
        }
        if (!cancelPending(run, RunCancelled.REASON_CANCELLED)) {
            runtime.cancel(run.runId(), RunCancelled.REASON_CANCELLED);
        }
        awaitFinal(run);
        return new RunService.Cancelled(run.runId(), run.status());
    }

    private RunService.Cancelled cancelStored(StoredRun run) {
        if (run.status().isFinal()) {
            return stoppedAlready(run.runId(), run.status());
        }
        // Running elsewhere (or on a node that died): the bus carries the request there.
        runtime.cancel(run.runId(), RunCancelled.REASON_CANCELLED);
        return new RunService.Cancelled(run.runId(), run.status());
    }

    private static RunService.Cancelled stoppedAlready(String runId, RunStatus status) {
        if (status == RunStatus.CANCELLED || status == RunStatus.INTERRUPTED) {
            return new RunService.Cancelled(runId, status);
        }
        throw ApiError.conflict("run_ended", "run " + runId + " is " + status + " (expected: running, paused or pending)");
    }

    /** Waits a little for the run to reach its end, so the answer can tell the final status. */
    private void awaitFinal(ServerRun run) throws InterruptedException {
        long deadline = System.nanoTime() + cancelWait.toNanos();
        try {
            RunHandle handle = run.started().get(cancelWait.toNanos(), TimeUnit.NANOSECONDS);
            // A running segment ends with RunCancelled; a paused run was ended by the cancel call itself.
            CompletableFuture<RunOutput> end = handle.segmentEnd();
            if (!end.isDone()) {
                end.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException | ExecutionException e) {
            // The answer then tells the status as it is; the stop goes on.
        }
    }

    /**
     * Cancels a run that waits its turn: takes it out of the queue and starts it with the cancel
     * already requested, so it ends at once with {@code RunCancelled} and is stored. Returns false
     * if the run is not waiting (it started).
     */
    private boolean cancelPending(ServerRun run, String reason) {
        Optional<SessionLanes.Start> waiting = lanes.removeWaiting(run);
        if (waiting.isEmpty()) {
            return false;
        }
        runtime.cancel(run.runId(), reason);
        waiting.get().starter().accept(run);
        return true;
    }

    /** Cancels a run that is not over yet, whether it runs or waits its turn. */
    void cancelQuietly(ServerRun run, String reason) {
        if (!run.isFinal() && !cancelPending(run, reason)) {
            runtime.cancel(run.runId(), reason);
        }
    }

    /** The last reader of a run with the {@code cancel} policy went away. */
    void cancelAbandoned(ServerRun run) {
        RunStatus status = run.status();
        if (status.isFinal() || status == RunStatus.PAUSED) {
            return;
        }
        cancelQuietly(run, RunCancelled.REASON_CLIENT_DISCONNECTED);
    }

    /**
     * Ends the runs waiting their turn, before the runtime closes: each starts with the cancel
     * already requested, so its readers get {@code RunCancelled} and the store keeps it as
     * INTERRUPTED.
     */
    void cancelWaiting(String reason) {
        for (SessionLanes.Start start : lanes.drainWaiting()) {
            runtime.cancel(start.run().runId(), reason);
            start.starter().accept(start.run());
        }
    }
}
