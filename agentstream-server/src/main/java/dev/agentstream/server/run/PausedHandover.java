package dev.agentstream.server.run;

import dev.agentstream.AgentRuntime;
import dev.agentstream.Member;
import dev.agentstream.RunHandle;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunStatus;
import dev.agentstream.run.PausedRun;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.store.SessionStore;
import dev.agentstream.store.StoredRun;
import java.util.Map;
import java.util.Optional;

/**
 * A paused run changing hands between nodes (a load balancer without sticky sessions sends its
 * continue or cancel anywhere). The node asked takes the run over in the store first, so exactly one
 * node goes on with it; the node that paused it notices and forgets its copy. Alone, a node takes
 * nothing over, and a paused run it no longer holds (paused before a restart) is ended from the store.
 *
 * <p>Thread contract: thread-safe and stateless; called on request threads.
 */
final class PausedHandover {

    private final AgentRuntime runtime;
    private final SessionStore store;
    private final Map<String, Member> agents;
    private final Peers peers;

    PausedHandover(AgentRuntime runtime, SessionStore store, Map<String, Member> agents, Peers peers) {
        this.runtime = runtime;
        this.store = store;
        this.agents = agents;
        this.peers = peers;
    }

    /**
     * Makes the paused run this node's before it goes on, so that no other node (its old owner
     * included) continues it too. Returns true if it claimed; give it back with {@link #release}
     * if the continue does not start.
     *
     * @throws ApiError 409 if another node continued or ended it first, 503 if another node holds it
     *     and Redis is away
     */
    boolean claimToContinue(RunRef ref) {
        if (!peers.clustered()) {
            return false;
        }
        if (ref instanceof RunRef.Stored stored && peers.ownedElsewhere(stored.run())) {
            peers.requireReachable("continuing run " + ref.runId() + ", which node " + stored.run().ownerNode() + " paused,");
        }
        if (!store.claimPausedRun(ref.runId())) {
            throw RunService.notPaused(ref.runId(), store.findRun(ref.runId()).map(StoredRun::status).orElse(RunStatus.PENDING));
        }
        return true;
    }

    /** Gives back a run {@link #claimToContinue claimed} whose continue did not start: paused for anyone again. */
    void release(String runId) {
        store.releasePausedRun(runId);
    }

    /**
     * True, forgetting it in the runtime, if a run paused on this node was continued (or ended)
     * through another node since: this node's copy is stale, the store tells how it goes on.
     */
    boolean takenOverElsewhere(String runId) {
        if (!peers.clustered()) {
            return false;
        }
        Optional<StoredRun> stored = store.findRun(runId);
        if (stored.isEmpty() || stored.get().status() == RunStatus.PAUSED || !peers.ownedElsewhere(stored.get())) {
            return false;
        }
        runtime.forgetPaused(runId);
        return true;
    }

    /**
     * Ends a stored paused run this node does not hold (paused on another node, or before a restart)
     * from its stored state, its paused members with it: taken over in the store first when several
     * nodes share it, then ended here, so its {@code RunCancelled} is stored like any cancel's.
     * Empty if it is no longer paused (continued or ended meanwhile): the caller answers for the run
     * as it is now.
     *
     * @throws ApiError 503 while Redis is away if another node holds it, 409 if it belongs to an agent
     *     this node does not serve
     */
    Optional<RunService.Cancelled> cancel(StoredRun run) {
        if (peers.ownedElsewhere(run)) {
            peers.requireReachable("cancelling run " + run.runId() + ", which node " + run.ownerNode() + " paused,");
        }
        Optional<PausedRun> state = store.pausedState(run.runId());
        if (state.isEmpty()) {
            return Optional.empty();
        }
        Member agent = servedAgent(state.get());
        if (peers.clustered() && !store.claimPausedRun(run.runId())) {
            return Optional.empty();
        }
        RunHandle ended = runtime.cancelPaused(agent, state.get(), RunCancelled.REASON_CANCELLED);
        return Optional.of(new RunService.Cancelled(run.runId(), ended.status()));
    }

    /** The agent a stored paused run belongs to, or 409 if this node does not serve it. */
    Member servedAgent(PausedRun state) {
        Member agent = agents.get(state.run().agentId());
        if (agent == null) {
            throw ApiError.conflict("agent_not_served", "run " + state.run().runId() + " belongs to agent "
                + state.run().agentId() + ", which this server does not serve");
        }
        return agent;
    }
}
