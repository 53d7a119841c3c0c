package dev.agentstream.server.wire.agentos;

import dev.agentstream.Agent;
import dev.agentstream.Member;
import dev.agentstream.RunOutput;
import dev.agentstream.Team;
import dev.agentstream.server.auth.Auth;
import dev.agentstream.server.auth.Caller;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.server.http.JsonReplies;
import dev.agentstream.server.run.DisconnectPolicy;
import dev.agentstream.server.run.Multitask;
import dev.agentstream.server.run.RunFeed;
import dev.agentstream.server.run.RunRef;
import dev.agentstream.server.run.RunService;
import dev.agentstream.server.run.ServerRun;
import dev.agentstream.server.wire.WireContext;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * AgentOS's run routes for agents ({@code /agents/{id}/runs…}) and teams ({@code /teams/{id}/runs…}):
 * start, cancel, continue. A stream ends after the run's terminal event and a client that goes
 * away cancels the run, as with Agno; a busy session is refused (409), as a second run in an Agno
 * session would race the first.
 *
 * <p>Thread contract: thread-safe; each handler runs on its request's virtual thread, and a
 * streaming handler keeps it until the stream ends.
 */
final class AgentOsRunRoutes {

    private final WireContext wire;
    private final RunService runs;

    AgentOsRunRoutes(WireContext wire) {
        this.wire = wire;
        this.runs = wire.runs();
    }

    /** Which of the two kinds a route serves: {@code /agents/…} or {@code /teams/…}. */
    enum Kind {
        AGENT("agent_id", "Agent"),
        TEAM("team_id", "Team");

        final String pathParam;
        final String label;

        Kind(String pathParam, String label) {
            this.pathParam = pathParam;
            this.label = label;
        }

        boolean serves(Member member) {
            return this == AGENT ? member instanceof Agent : member instanceof Team;
        }
    }

    /** The agent or team the path names, or 404 (also for a team's id on an agent's route). */
    Member component(Context ctx, Kind kind) {
        String id = ctx.pathParam(kind.pathParam);
        Member member = runs.agents().get(id);
        if (member == null || !kind.serves(member)) {
            throw ApiError.of(404, "not_found", kind.label + " not found: " + id);
        }
        return member;
    }

    /** {@code POST /agents/{agent_id}/runs} and {@code POST /teams/{team_id}/runs}. */
    void start(Context ctx, Kind kind) throws InterruptedException {
        Caller caller = Auth.caller(ctx);
        Member member = component(ctx, kind);
        RunForm form = RunForm.parse(FormBody.read(ctx, wire.bodies().maxBytes()));
        long createdAt = Instant.now().getEpochSecond();
        // Without an idempotency key a start is always a new run of this server: live.
        RunRef ref = runs.start(caller, member, new RunService.StartCommand(form.message(), form.sessionId(),
            DisconnectPolicy.CANCEL, Multitask.REJECT, null)).run();
        ServerRun run = ((RunRef.Live) ref).run();
        if (form.stream()) {
            stream(ctx, run, 0);
        } else {
            RunOutput output = runs.awaitSegment(run);
            JsonReplies.json(ctx, 200, AgentOsViews.RunView.of(output, member instanceof Team, form.message(),
                createdAt));
        }
    }

    /** {@code POST /agents/{agent_id}/runs/{run_id}/cancel}: {@code {}} as Agno answers, once the stop is asked. */
    void cancel(Context ctx, Kind kind) throws InterruptedException {
        Caller caller = Auth.caller(ctx);
        String runId = ownedRunOf(ctx, caller, component(ctx, kind));
        runs.cancel(caller, runId);
        JsonReplies.json(ctx, 200, Map.of());
    }

    /** {@code POST /agents/{agent_id}/runs/{run_id}/continue}: the paused tools with decisions, as the form field {@code tools}. */
    void continueRun(Context ctx, Kind kind) throws InterruptedException {
        Caller caller = Auth.caller(ctx);
        Member member = component(ctx, kind);
        String runId = ownedRunOf(ctx, caller, member);
        ContinueForm form = ContinueForm.parse(FormBody.read(ctx, wire.bodies().maxBytes()));
        RunService.Continued continued = runs.continueRun(caller, runId, form.decisions(), DisconnectPolicy.CANCEL);
        if (form.stream()) {
            stream(ctx, continued.run(), continued.afterSeq());
        } else {
            try {
                RunOutput output = continued.run().started().get().segmentEnd().get();
                JsonReplies.json(ctx, 200, AgentOsViews.RunView.of(output, member instanceof Team, null, null));
            } catch (ExecutionException e) {
                throw new IllegalStateException("run " + runId + " failed", e.getCause());
            }
        }
    }

    /** The run the path names if it is the caller's and the named component's; 404 otherwise. */
    private String ownedRunOf(Context ctx, Caller caller, Member member) {
        String runId = ctx.pathParam("run_id");
        String owner = switch (runs.find(caller, runId)) {
            case RunRef.Live live -> live.run().agentId();
            case RunRef.Stored stored -> stored.run().agentId();
        };
        if (!member.id().equals(owner)) {
            throw ApiError.notFound("run", runId);
        }
        return runId;
    }

    private void stream(Context ctx, ServerRun run, long afterSeq) {
        RunFeed feed = runs.feed(new RunRef.Live(run), afterSeq, RunFeed.Mode.SEGMENT);
        wire.streamer().stream(ctx.res(), feed, AgentOsEncoder.INSTANCE, run);
    }
}
