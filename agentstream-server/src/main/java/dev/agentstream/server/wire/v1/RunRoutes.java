package dev.agentstream.server.wire.v1;

import dev.agentstream.Member;
import dev.agentstream.server.auth.Auth;
import dev.agentstream.server.auth.Caller;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.server.http.JsonReplies;
import dev.agentstream.server.run.RunFeed;
import dev.agentstream.server.run.RunRef;
import dev.agentstream.server.run.RunService;
import dev.agentstream.server.run.ServerRun;
import dev.agentstream.server.wire.WireContext;
import dev.agentstream.store.SessionStore;
import io.javalin.http.Context;
import java.time.Duration;

/**
 * The native run routes: start (streamed, awaited or in the background), read one, follow its
 * events, cancel, continue.
 *
 * <p>Thread contract: thread-safe; each handler runs on its request's virtual thread, and a
 * streaming handler keeps it until the stream ends.
 */
final class RunRoutes {

    /** At most the store's own wait for a start's commit, after which the run fails visibly anyway. */
    private static final Duration START_RECORDED_WAIT = Duration.ofSeconds(10);

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final WireContext wire;
    private final RunService runs;

    RunRoutes(WireContext wire) {
        this.wire = wire;
        this.runs = wire.runs();
    }

    /** {@code POST /v1/agents/{agent_id}/runs}: an agent, or a team (teams are listed among the agents too). */
    void start(Context ctx) throws InterruptedException {
        Caller caller = Auth.caller(ctx);
        start(ctx, caller, runs.agent(ctx.pathParam("agent_id")));
    }

    /** {@code POST /v1/teams/{team_id}/runs}: the same run options; an agent's id is not a team's. */
    void startTeam(Context ctx) throws InterruptedException {
        Caller caller = Auth.caller(ctx);
        start(ctx, caller, runs.team(ctx.pathParam("team_id")));
    }

    private void start(Context ctx, Caller caller, Member agent) throws InterruptedException {
        StartRunBody body = StartRunBody.parse(wire.bodies().readObject(ctx.req(), false));
        String key = idempotencyKey(ctx);
        RunService.Started started = runs.start(caller, agent, new RunService.StartCommand(body.message(),
            body.sessionId(), body.policy(), body.multitask(), key), body.webhook());
        if (started.repeated()) {
            ctx.header("Idempotent-Replayed", "true");
        }
        RunRef ref = started.run();
        if (body.background()) {
            awaitStartRecorded(ref);
            JsonReplies.json(ctx, 202, statusView(ref));
        } else if (body.stream()) {
            stream(ctx, ref, 0, RunFeed.Mode.SEGMENT);
        } else {
            JsonReplies.json(ctx, 200, awaitView(ref));
        }
    }

    /**
     * Answers a background start once its {@code RunStarted} went through the store (the recorder
     * runs before an event reaches the log), so the run id it hands out can be read, followed or
     * cancelled on any node at once. A run waiting its turn in the session is answered at once.
     */
    private static void awaitStartRecorded(RunRef ref) throws InterruptedException {
        if (ref instanceof RunRef.Live live) {
            var handle = live.run().handle();
            if (handle.isPresent()) {
                handle.get().log().awaitAfter(0, START_RECORDED_WAIT);
            }
        }
    }

    /** {@code GET /v1/runs/{run_id}}. */
    void get(Context ctx) {
        RunRef ref = runs.find(Auth.caller(ctx), ctx.pathParam("run_id"));
        JsonReplies.json(ctx, 200, view(ref));
    }

    /** {@code GET /v1/runs/{run_id}/events}, resuming after {@code Last-Event-ID} or {@code ?after=}. */
    void events(Context ctx) {
        RunRef ref = runs.find(Auth.caller(ctx), ctx.pathParam("run_id"));
        long after = after(ctx);
        if (ref instanceof RunRef.Live live) {
            long last = live.run().handle().map(h -> h.log().lastSeq()).orElse(0L);
            if (after > last) {
                // A position the run never reached would silently skip the events up to it.
                throw ApiError.badRequest("invalid_request", "Last-Event-ID/after: " + after
                    + " (expected: at most the run's last seq, " + last + ")");
            }
        }
        stream(ctx, ref, after, RunFeed.Mode.FOLLOW);
    }

    /** {@code POST /v1/runs/{run_id}/cancel}. */
    void cancel(Context ctx) throws InterruptedException {
        RunService.Cancelled cancelled = runs.cancel(Auth.caller(ctx), ctx.pathParam("run_id"));
        JsonReplies.json(ctx, 202, new Views.RunStatusView(cancelled.runId(), null, cancelled.status()));
    }

    /** {@code POST /v1/runs/{run_id}/continue}. */
    void continueRun(Context ctx) throws InterruptedException {
        Caller caller = Auth.caller(ctx);
        String runId = ctx.pathParam("run_id");
        // Ownership first: someone else's run is 404 whatever the body says.
        runs.find(caller, runId);
        ContinueBody body = ContinueBody.parse(wire.bodies().readObject(ctx.req(), false));
        RunService.Continued continued = runs.continueRun(caller, runId, body.decisions(), body.policy());
        RunRef ref = new RunRef.Live(continued.run());
        if (body.stream()) {
            stream(ctx, ref, continued.afterSeq(), RunFeed.Mode.SEGMENT);
        } else {
            try {
                JsonReplies.json(ctx, 200, Views.RunView.of(continued.run().started().get().segmentEnd().get()));
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("run " + runId + " failed", e.getCause());
            }
        }
    }

    private void stream(Context ctx, RunRef ref, long afterSeq, RunFeed.Mode mode) {
        ServerRun run = ref instanceof RunRef.Live live ? live.run() : null;
        wire.streamer().stream(ctx.res(), runs.feed(ref, afterSeq, mode), V1Encoder.INSTANCE, run);
    }

    private Object awaitView(RunRef ref) throws InterruptedException {
        return switch (ref) {
            case RunRef.Live live -> Views.RunView.of(runs.awaitSegment(live.run()));
            case RunRef.Stored stored -> view(ref);
        };
    }

    private Views.RunView view(RunRef ref) {
        SessionStore store = runs.store();
        return switch (ref) {
            case RunRef.Live live -> Views.RunView.live(live.run());
            case RunRef.Stored stored -> Views.RunView.stored(stored.run(), store.messages(stored.run().sessionId()),
                store.pausedState(stored.run().runId()));
        };
    }

    private static Views.RunStatusView statusView(RunRef ref) {
        return switch (ref) {
            case RunRef.Live live -> new Views.RunStatusView(live.runId(), live.run().sessionId(), live.run().status());
            case RunRef.Stored stored -> new Views.RunStatusView(stored.runId(), stored.run().sessionId(),
                stored.run().status());
        };
    }

    private static String idempotencyKey(Context ctx) {
        String key = ctx.header(IDEMPOTENCY_KEY);
        if (key == null) {
            return null;
        }
        if (!key.matches("[\\x21-\\x7E]{1,255}")) {
            throw ApiError.invalid(IDEMPOTENCY_KEY + ": not a key (expected: 1-255 visible ASCII characters)");
        }
        return key;
    }

    /** The seq to resume after: {@code Last-Event-ID} wins over {@code ?after=}; 0 (everything) without either. */
    private static long after(Context ctx) {
        String header = ctx.header("Last-Event-ID");
        if (header != null && !header.isBlank()) {
            return seq("Last-Event-ID", header.strip());
        }
        String query = ctx.queryParam("after");
        return query == null ? 0 : seq("after", query);
    }

    private static long seq(String name, String value) {
        try {
            long seq = Long.parseLong(value);
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // Falls through to the answer below.
        }
        throw ApiError.badRequest("invalid_request", name + ": not a seq (expected: an integer >= 0)");
    }
}
