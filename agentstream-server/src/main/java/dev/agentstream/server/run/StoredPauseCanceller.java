package dev.agentstream.server.run;

import dev.agentstream.AgentRuntime;
import dev.agentstream.Member;
import dev.agentstream.RunHandle;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.run.PausedRun;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.store.SessionStore;
import dev.agentstream.store.StoredRun;
import java.util.Map;
import java.util.Optional;

/**
 * Cancels a paused run this node does not hold: another node paused it (a load balancer without
 * sticky sessions sends the cancel anywhere), or this node did before a restart. With several nodes
 * the run is first taken over in the store, as a continue would, so that no node continues what is
 * being cancelled; then it is restored from its stored state and ended here, and its
 * {@code RunCancelled} is stored like any cancel's.
 *
 * <p>Thread contract: thread-safe and stateless; called on request threads.
 */
final class StoredPauseCanceller {

    private final AgentRuntime runtime;
    private final SessionStore store;
    private final Map<String, Member> agents;
    private final Peers peers;

    StoredPauseCanceller(AgentRuntime runtime, SessionStore store, Map<String, Member> agents, Peers peers) {
        this.runtime = runtime;
        this.store = store;
        this.agents = agents;
        this.peers = peers;
    }

    /**
     * Ends the paused run; returns its status then (CANCELLED).
     *
     * @throws ApiError 503 while Redis is away if another node holds it, 409 if it stopped being
     *     paused meanwhile (continued or ended elsewhere) or belongs to an agent this node does not serve
     */
    RunService.Cancelled cancel(StoredRun run) {
        if (peers.ownedElsewhere(run)) {
            peers.requireReachable("cancelling run " + run.runId() + ", which node " + run.ownerNode() + " paused,");
        }
        Optional<PausedRun> state = store.pausedState(run.runId());
        if (state.isEmpty() || (peers.clustered() && !store.claimPausedRun(run.runId()))) {
            throw ApiError.conflict("run_not_paused", "run " + run.runId() + " is no longer paused (continued or"
                + " ended meanwhile); read it again");
        }
        Member agent = agents.get(state.get().run().agentId());
        if (agent == null) {
            if (peers.clustered()) {
                store.releasePausedRun(run.runId());
            }
            throw ApiError.conflict("agent_not_served", "run " + run.runId() + " belongs to agent "
                + state.get().run().agentId() + ", which this server does not serve");
        }
        RunHandle ended = runtime.cancelPaused(agent, state.get(), RunCancelled.REASON_CANCELLED);
        return new RunService.Cancelled(run.runId(), ended.status());
    }
}
