package dev.agentstream.server.run;

import static java.util.Objects.requireNonNull;

import dev.agentstream.RunHandle;
import dev.agentstream.event.RunStatus;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's view of one run it accepted: whose it is, where it belongs, how to treat a
 * disconnect, how many SSE readers it has, and, once the runtime started it, its handle. A run
 * waiting its turn in its session ({@code enqueue}) has no handle yet and counts as PENDING.
 *
 * <p>Thread contract: thread-safe. Request threads read it and attach readers; the session lane
 * starts it; the policy may be changed by a continue.
 */
public final class ServerRun {

    private final String runId;
    private final String sessionId;
    private final String userId;
    private final String agentId;
    private final AtomicInteger readers = new AtomicInteger();
    private final CompletableFuture<RunHandle> started = new CompletableFuture<>();
    private volatile DisconnectPolicy policy;
    private volatile boolean cancelRequested;

    ServerRun(String runId, String sessionId, String userId, String agentId, DisconnectPolicy policy) {
        this.runId = requireNonNull(runId, "runId");
        this.sessionId = requireNonNull(sessionId, "sessionId");
        this.userId = requireNonNull(userId, "userId");
        this.agentId = requireNonNull(agentId, "agentId");
        this.policy = requireNonNull(policy, "policy");
    }

    public String runId() {
        return runId;
    }

    public String sessionId() {
        return sessionId;
    }

    public String userId() {
        return userId;
    }

    public String agentId() {
        return agentId;
    }

    public DisconnectPolicy policy() {
        return policy;
    }

    void policy(DisconnectPolicy newPolicy) {
        this.policy = requireNonNull(newPolicy, "newPolicy");
    }

    /** The runtime's handle once the run started; empty while it waits its turn. */
    public Optional<RunHandle> handle() {
        return started.state() == Future.State.SUCCESS ? Optional.of(started.resultNow()) : Optional.empty();
    }

    /** Completes when the runtime starts the run. */
    public CompletableFuture<RunHandle> started() {
        return started;
    }

    void markStarted(RunHandle handle) {
        started.complete(handle);
    }

    /** Someone asked to stop the run; one waiting for its session's turn on another node then stops waiting. */
    void markCancelRequested() {
        cancelRequested = true;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    /** PENDING until started, then the run's own status; ERROR if it could not start. */
    public RunStatus status() {
        if (started.isCompletedExceptionally()) {
            return RunStatus.ERROR;
        }
        return handle().map(RunHandle::status).orElse(RunStatus.PENDING);
    }

    /** True once nothing more can happen to the run. */
    public boolean isFinal() {
        return status().isFinal();
    }

    /** A reader (an SSE connection) attached. Returns the number of readers now. */
    public int attachReader() {
        return readers.incrementAndGet();
    }

    /** How many readers (SSE connections) are attached now. */
    public int readers() {
        return readers.get();
    }

    /** A reader went away. Returns the number of readers left. */
    public int detachReader() {
        return readers.decrementAndGet();
    }

    @Override
    public String toString() {
        return "ServerRun[" + runId + "]";
    }
}
