package dev.agentstream.server.wire.agui;

import dev.agentstream.RunHandle;
import dev.agentstream.event.RunRequirement;
import dev.agentstream.event.RunStatus;
import dev.agentstream.run.PausedRun;
import dev.agentstream.server.auth.Caller;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.server.run.RunService;
import dev.agentstream.server.run.ServerRun;
import dev.agentstream.store.StoredRun;
import dev.agentstream.store.StoredSession;
import java.util.List;
import java.util.Optional;

/**
 * The paused run a thread's answers are for: AG-UI names interrupts, not runs, so the run is found
 * as the thread's newest paused top-level run, with what it waits for (from memory while this
 * server holds it, else from the store).
 *
 * @param runId agentstream's id of the paused run
 */
record PausedThread(String runId, List<RunRequirement> waiting) {

    /**
     * The caller's paused run in {@code threadId}.
     *
     * @throws ApiError 404 for someone else's thread or a thread that does not exist, 409 if it is another
     *     agent's or nothing in it is paused
     */
    static PausedThread find(RunService runs, Caller caller, String agentId, String threadId) {
        StoredSession session = runs.store().findSession(threadId).filter(s -> caller.owns(s.userId()))
            .orElseThrow(() -> ApiError.notFound("thread", threadId));
        if (!agentId.equals(session.agentId())) {
            throw ApiError.conflict("session_agent_mismatch", "thread " + threadId + " belongs to agent "
                + session.agentId() + " (expected: " + agentId + ")");
        }
        List<StoredRun> stored = runs.store().runs(threadId);
        for (int i = stored.size() - 1; i >= 0; i--) {
            StoredRun run = stored.get(i);
            if (run.parentRunId() == null && run.status() == RunStatus.PAUSED) {
                Optional<List<RunRequirement>> waiting = runs.live(run.runId()).flatMap(ServerRun::handle)
                    .map(RunHandle::output).map(output -> output.requirements())
                    .or(() -> runs.store().pausedState(run.runId()).map(PausedRun::requirements));
                if (waiting.isPresent() && !waiting.get().isEmpty()) {
                    return new PausedThread(run.runId(), waiting.get());
                }
            }
        }
        throw ApiError.conflict("run_not_paused", "thread " + threadId + " has no paused run (expected: answers only"
            + " to interrupts of the thread's last run)");
    }
}
