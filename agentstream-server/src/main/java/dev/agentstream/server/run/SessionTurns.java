package dev.agentstream.server.run;

import dev.agentstream.AgentRuntime;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.store.SessionStore;
import dev.agentstream.store.StorageException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's turn across nodes: the run about to start claims its session in the shared database
 * ({@link SessionStore#claimSession}); when a run of another node holds it, the new run waits for
 * that run to end ({@code enqueue}), or cancels it through the cancellation bus first
 * ({@code interrupt}), then starts. The local {@link SessionLanes} order this node's own runs; this
 * only arbitrates between nodes, so a node alone never claims anything.
 *
 * <p>The claim lapses with the holder's run row (ended, paused, or RUNNING past its lease, which the
 * dead-node sweep shortens to the heartbeat ttl), so a dead node holds no session for long.
 *
 * <p>Thread contract: thread-safe; each waiting run has a virtual thread of its own.
 */
final class SessionTurns implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTurns.class);

    private final SessionStore store;
    private final AgentRuntime runtime;
    private final Peers peers;
    private final Duration checkEvery;
    /** How long closing waits for the waiting runs to give up (each only answers its refusal). */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private volatile boolean closed;
    private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();

    SessionTurns(SessionStore store, AgentRuntime runtime, Peers peers, Duration checkEvery) {
        this.store = store;
        this.runtime = runtime;
        this.peers = peers;
        this.checkEvery = checkEvery;
    }

    /** Takes the session's turn for {@code run}; the holder's run id if another node's run has it. */
    Optional<String> claim(ServerRun run) {
        if (!peers.clustered()) {
            return Optional.empty();
        }
        return store.claimSession(run.sessionId(), run.runId());
    }

    /**
     * True if the stored run {@code holderId} is another user's: two users picked the same new session
     * id at once on two nodes. The second is then refused like any foreign session, and never interrupts.
     */
    boolean heldByAnotherUser(ServerRun run, String holderId) {
        return store.findRun(holderId).filter(holder -> !holder.userId().equals(run.userId())).isPresent();
    }

    /** Only a run of the same user that is stored (started) is ever cancelled to make way. */
    private boolean sameUsersRun(ServerRun run, String holderId) {
        try {
            return store.findRun(holderId).filter(holder -> holder.userId().equals(run.userId())).isPresent();
        } catch (StorageException e) {
            return false;
        }
    }

    /** The run did not start after all: its session is free for the other nodes at once. */
    void release(ServerRun run) {
        if (peers.clustered()) {
            store.releaseSession(run.sessionId(), run.runId());
        }
    }

    /**
     * Waits, on a virtual thread, until {@code run} has its session's turn, then calls {@code start};
     * under {@code interrupt} each run found holding it is cancelled first. A run cancelled while it
     * waits is started at once (it then ends with {@code RunCancelled}, stored like any other). If
     * the node closes first, the run never starts: {@code abandon} is called instead.
     */
    void awaitTurn(ServerRun run, Multitask strategy, String holder, Runnable start, Runnable abandon) {
        Thread turn = Thread.ofVirtual().name("agentstream-turn-" + run.runId()).unstarted(() -> {
            try {
                boolean hasTurn = awaitTurn(run, strategy, holder);
                // The close's interrupt must not cut short the writes of the start or the refusal.
                Thread.interrupted();
                (hasTurn ? start : abandon).run();
            } finally {
                waiting.remove(Thread.currentThread());
            }
        });
        waiting.add(turn);
        turn.start();
        if (closed) {
            // Closed meanwhile: close() may have missed this thread.
            turn.interrupt();
        }
    }

    /** True once the run has its turn or was cancelled; false if the node closes first. */
    private boolean awaitTurn(ServerRun run, Multitask strategy, String holder) {
        String cancelled = null;
        String current = holder;
        try {
            while (!run.cancelRequested()) {
                if (closed) {
                    return false;
                }
                if (strategy == Multitask.INTERRUPT && !current.equals(cancelled) && sameUsersRun(run, current)) {
                    runtime.cancel(current, RunCancelled.REASON_CANCELLED);
                    cancelled = current;
                }
                Thread.sleep(checkEvery.toMillis());
                Optional<String> next = claimQuietly(run, current);
                if (next.isEmpty()) {
                    return true;
                }
                current = next.get();
            }
            return true;
        } catch (InterruptedException e) {
            // Interrupted by close(): the wait ends here, unstarted.
            return false;
        }
    }

    /**
     * Stops every wait and lets each waiting run give up (what it held is let go, in the store too),
     * before the store goes next; waits for that at most {@link #CLOSE_WAIT}.
     */
    @Override
    public void close() {
        closed = true;
        waiting.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            for (Thread turn : waiting) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !turn.join(Duration.ofNanos(left))) {
                    LOG.warn("a run waiting its session's turn did not give up within {} ms", CLOSE_WAIT.toMillis());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The holder now; {@code lastHolder} again while the database cannot tell (the wait goes on). */
    private Optional<String> claimQuietly(ServerRun run, String lastHolder) {
        try {
            return store.claimSession(run.sessionId(), run.runId());
        } catch (StorageException e) {
            // Debug only: this repeats every check, and the storage reports its own outage.
            LOG.debug("claiming session {} for run {} failed; will try again: {}", run.sessionId(), run.runId(),
                e.getMessage());
            return Optional.of(lastHolder);
        }
    }
}
