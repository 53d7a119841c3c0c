package dev.agentstream.server.wire.openai;

import dev.agentstream.Member;
import dev.agentstream.RunOutput;
import dev.agentstream.server.auth.Auth;
import dev.agentstream.server.auth.Caller;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.server.http.ErrorBody;
import dev.agentstream.server.http.JsonReplies;
import dev.agentstream.server.run.DisconnectPolicy;
import dev.agentstream.server.run.Multitask;
import dev.agentstream.server.run.RunFeed;
import dev.agentstream.server.run.RunRef;
import dev.agentstream.server.run.RunService;
import dev.agentstream.server.run.ServerRun;
import dev.agentstream.server.wire.WireContext;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's chat completions over agents: {@code GET /v1/models} lists the agents and teams as
 * models, {@code POST /v1/chat/completions} runs the one named by {@code model}, streamed as
 * {@code chat.completion.chunk}s or answered as one {@code chat.completion}. The run is stored like
 * any other, in the session named by {@code X-Session-Id} or a new one, whose id comes back in the
 * same header. A streaming client that goes away cancels its run. Auth is the shared {@code /v1}
 * filter; errors are written in OpenAI's shape ({@link #ERROR_BODIES}).
 *
 * <p>Thread contract: thread-safe; each handler runs on its request's virtual thread, and a
 * streaming handler keeps it until the stream ends.
 */
public final class OpenAiRoutes {

    /** The paths whose errors are written in OpenAI's shape, for the server's error mapping. */
    public static final Map<String, ErrorBody> ERROR_BODIES = Map.of(
        "/v1/chat/completions", OpenAiErrors.INSTANCE,
        "/v1/models", OpenAiErrors.INSTANCE);

    static final String SESSION_HEADER = "X-Session-Id";
    /** As the native API's {@code session_id}. */
    private static final String SESSION_ID = "[A-Za-z0-9._:-]{1,128}";

    private final WireContext wire;
    private final RunService runs;
    /** The models' {@code created}: when this server started serving them. */
    private final long servedSince = System.currentTimeMillis() / 1000;

    private OpenAiRoutes(WireContext wire) {
        this.wire = wire;
        this.runs = wire.runs();
    }

    /** Registers {@code /v1/models}, {@code /v1/models/{model}} and {@code /v1/chat/completions}. */
    public static void register(JavalinDefaultRoutingApi routing, WireContext wire) {
        OpenAiRoutes routes = new OpenAiRoutes(wire);
        routing.get("/v1/models", routes::models);
        routing.get("/v1/models/{model}", routes::model);
        routing.post("/v1/chat/completions", routes::complete);
    }

    /** {@code GET /v1/models}: every agent and team, each as a model. */
    void models(Context ctx) {
        Auth.caller(ctx);
        List<OpenAiViews.Model> models = runs.agents().keySet().stream()
            .map(id -> new OpenAiViews.Model(id, servedSince))
            .toList();
        JsonReplies.json(ctx, 200, new OpenAiViews.ModelList(models));
    }

    /** {@code GET /v1/models/{model}}. */
    void model(Context ctx) {
        Auth.caller(ctx);
        JsonReplies.json(ctx, 200, new OpenAiViews.Model(member(ctx.pathParam("model")).id(), servedSince));
    }

    /** {@code POST /v1/chat/completions}. */
    void complete(Context ctx) throws InterruptedException {
        Caller caller = Auth.caller(ctx);
        ChatCompletionRequest request = ChatCompletionRequest.parse(wire.bodies().readObject(ctx.req(), false));
        Member agent = member(request.model());
        String sessionId = sessionId(ctx);
        RunService.Started started = runs.start(caller, agent, new RunService.StartCommand(request.input(),
            sessionId, DisconnectPolicy.CANCEL, Multitask.REJECT, null, request.history()));
        ServerRun run = ((RunRef.Live) started.run()).run();
        ctx.header(SESSION_HEADER, run.sessionId());
        CompletionIds ids = CompletionIds.of(run.runId(), request.model());
        if (request.stream()) {
            wire.streamer().stream(ctx.res(), runs.feed(started.run(), 0, RunFeed.Mode.SEGMENT),
                new ChunkEncoder(ids, request.includeUsage()), run);
            return;
        }
        RunOutput output = runs.awaitSegment(run);
        ApiError failure = RunOutcomes.errorFor(output);
        if (failure != null) {
            // A retry would run the agent again, tools and all: tell the SDKs not to.
            ctx.header("x-should-retry", "false");
            throw failure;
        }
        JsonReplies.json(ctx, 200, new OpenAiViews.Completion(ids, output.content() == null ? "" : output.content(),
            blankToNull(output.reasoningContent()), OpenAiViews.Usage.of(output.metrics())));
    }

    private Member member(String model) {
        Member member = runs.agents().get(model);
        if (member == null) {
            throw ApiError.of(404, "model_not_found", "The model `" + printable(model)
                + "` does not exist (expected: an agent or team id from GET /v1/models)");
        }
        return member;
    }

    private static String sessionId(Context ctx) {
        String header = ctx.header(SESSION_HEADER);
        if (header == null || header.isBlank()) {
            return null;
        }
        if (!header.strip().matches(SESSION_ID)) {
            throw ApiError.badRequest("invalid_session_id", SESSION_HEADER + ": not a session id (expected: 1-128 of"
                + " [A-Za-z0-9._:-])");
        }
        return header.strip();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static String printable(String text) {
        return dev.agentstream.server.http.JsonFields.printable(text);
    }
}
