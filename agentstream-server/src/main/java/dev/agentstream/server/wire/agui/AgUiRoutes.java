package dev.agentstream.server.wire.agui;

import dev.agentstream.Member;
import dev.agentstream.Team;
import dev.agentstream.ToolDecision;
import dev.agentstream.server.auth.Auth;
import dev.agentstream.server.auth.Caller;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.server.http.JsonReplies;
import dev.agentstream.server.run.DisconnectPolicy;
import dev.agentstream.server.run.Multitask;
import dev.agentstream.server.run.RunFeed;
import dev.agentstream.server.run.RunRef;
import dev.agentstream.server.run.RunService;
import dev.agentstream.server.wire.WireContext;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.List;
import java.util.Map;

/**
 * AG-UI (CopilotKit, {@code @ag-ui/client}'s {@code HttpAgent}) under {@code /agui}: one POST per
 * run taking {@code RunAgentInput}, answered with AG-UI events over SSE until the run ends or
 * pauses, then the body closes. The thread is the session; a request that answers interrupts
 * continues the thread's paused run. The only cancel signal is the connection: a client that goes
 * away stops the run (stored INTERRUPTED with what it had). Auth runs before these routes as a
 * shared filter; refusals come before the stream, as a 4xx with a JSON body.
 *
 * <p>Thread contract: thread-safe; each handler runs on its request's virtual thread, and a
 * streaming handler keeps it until the stream ends.
 */
public final class AgUiRoutes {

    private final WireContext wire;
    private final RunService runs;

    private AgUiRoutes(WireContext wire) {
        this.wire = wire;
        this.runs = wire.runs();
    }

    /** Registers every {@code /agui} route. */
    public static void register(JavalinDefaultRoutingApi routing, WireContext wire) {
        AgUiRoutes routes = new AgUiRoutes(wire);
        routing.post("/agui/agents/{agent_id}", routes::runAgent);
        routing.post("/agui/teams/{team_id}", routes::runTeam);
        routing.get("/agui/status", ctx -> JsonReplies.json(ctx, 200, Map.of("status", "available")));
    }

    /** {@code POST /agui/agents/{agent_id}}: an agent, or a team (as on {@code /v1}). */
    private void runAgent(Context ctx) {
        Caller caller = Auth.caller(ctx);
        run(ctx, caller, runs.agent(ctx.pathParam("agent_id")));
    }

    /** {@code POST /agui/teams/{team_id}}: a team only. */
    private void runTeam(Context ctx) {
        Caller caller = Auth.caller(ctx);
        String teamId = ctx.pathParam("team_id");
        if (!(runs.agents().get(teamId) instanceof Team team)) {
            throw ApiError.notFound("team", teamId);
        }
        run(ctx, caller, team);
    }

    private void run(Context ctx, Caller caller, Member agent) {
        RunAgentInput input = RunAgentInput.parse(wire.bodies().readObject(ctx.req(), false));
        AgUiEncoder encoder = new AgUiEncoder(input.threadId(), input.runId());
        if (input.answersPause()) {
            PausedThread paused = PausedThread.find(runs, caller, agent.id(), input.threadId());
            List<ToolDecision> decisions = Decisions.of(paused.waiting(), input.answers());
            RunService.Continued continued = runs.continueRun(caller, paused.runId(), decisions, DisconnectPolicy.CANCEL);
            RunRef ref = new RunRef.Live(continued.run());
            wire.streamer().stream(ctx.res(), runs.feed(ref, continued.afterSeq(), RunFeed.Mode.SEGMENT), encoder,
                continued.run());
            return;
        }
        // Enqueue: a client that aborted its last run may start the next before that one has stopped.
        RunService.Started started = runs.start(caller, agent, new RunService.StartCommand(input.userMessage(),
            input.threadId(), DisconnectPolicy.CANCEL, Multitask.ENQUEUE, null));
        RunRef ref = started.run();
        wire.streamer().stream(ctx.res(), runs.feed(ref, 0, RunFeed.Mode.SEGMENT), encoder,
            ref instanceof RunRef.Live live ? live.run() : null);
    }
}
