package dev.agentstream.server.wire.aisdk;

import dev.agentstream.Member;
import dev.agentstream.ToolDecision;
import dev.agentstream.event.RunRequirement;
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
import dev.agentstream.store.ImportedTurn;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AI SDK chat routes: a POST that starts a run (or continues a paused one) and streams it as UI
 * message chunks, the resume GET that replays the chat's running answer, and the explicit stop.
 * The chat id is the session id. A client that goes away leaves the run going (that is what
 * makes resume after a reload work); only the stop route stops it.
 *
 * <p>Thread contract: thread-safe; each handler runs on its request's virtual thread, and a
 * streaming handler keeps it until the stream ends.
 */
final class ChatRoutes {

    static final String STREAM_HEADER = "x-vercel-ai-ui-message-stream";

    private final WireContext wire;
    private final RunService runs;

    ChatRoutes(WireContext wire) {
        this.wire = wire;
        this.runs = wire.runs();
    }

    /** {@code POST /v1/ai-sdk/agents/{agent_id}/chat}: an agent, or a team. */
    void chat(Context ctx) {
        Caller caller = Auth.caller(ctx);
        chat(ctx, caller, runs.agent(ctx.pathParam("agent_id")));
    }

    /** {@code POST /v1/ai-sdk/teams/{team_id}/chat}. */
    void teamChat(Context ctx) {
        Caller caller = Auth.caller(ctx);
        chat(ctx, caller, runs.team(ctx.pathParam("team_id")));
    }

    /** {@code GET …/chat/{chat_id}/stream}: 204 unless an answer is being written; else all of it, then live. */
    void resume(Context ctx) {
        Caller caller = Auth.caller(ctx);
        Member member = member(ctx);
        String chatId = ChatBody.checkChatId(ctx.pathParam("chat_id"));
        Optional<RunRef> going = runs.goingRun(caller, chatId).filter(ref -> agentOf(ref).equals(member.id()));
        if (going.isEmpty()) {
            ctx.status(204);
            return;
        }
        // From the run's first event: the client rebuilds the message from the replayed start.
        stream(ctx, going.get(), 0, RunFeed.Mode.FOLLOW);
    }

    /** {@code POST …/chat/{chat_id}/stop}: cancels the chat's running answer; its readers get {@code abort}. */
    void stop(Context ctx) throws InterruptedException {
        Caller caller = Auth.caller(ctx);
        Member member = member(ctx);
        String chatId = ChatBody.checkChatId(ctx.pathParam("chat_id"));
        Optional<ServerRun> active = runs.activeRun(caller, chatId).filter(run -> run.agentId().equals(member.id()));
        if (active.isEmpty()) {
            // Someone else's chat answers as one that does not exist: its id is not confirmed.
            if (runs.store().findSession(chatId).filter(session -> caller.owns(session.userId())).isEmpty()) {
                throw ApiError.notFound("chat", chatId);
            }
            ctx.status(204);
            return;
        }
        RunService.Cancelled cancelled = runs.cancel(caller, active.get().runId());
        JsonReplies.json(ctx, 202, Map.of("run_id", cancelled.runId(), "chat_id", chatId,
            "status", cancelled.status().name()));
    }

    private void chat(Context ctx, Caller caller, Member member) {
        ChatBody body = ChatBody.parse(wire.bodies().readObject(ctx.req(), false));
        UiMessage last = body.last();
        if (last.isAssistant()) {
            continueRun(ctx, caller, body, last);
        } else if (last.isUser()) {
            startRun(ctx, caller, member, body, last);
        } else {
            throw ApiError.invalid("messages: the last message is a " + last.role() + " message (expected: the user's"
                + " new message, or the assistant message being continued)");
        }
    }

    private void startRun(Context ctx, Caller caller, Member member, ChatBody body, UiMessage last) {
        String text = last.text();
        if (text.isBlank()) {
            throw ApiError.invalid("messages: the last user message has no text (expected: a text part)");
        }
        seedUnknownChat(caller, member, body);
        RunService.Started started = runs.start(caller, member, new RunService.StartCommand(text, body.chatId(),
            DisconnectPolicy.CONTINUE, Multitask.REJECT, null));
        stream(ctx, started.run(), 0, RunFeed.Mode.SEGMENT);
    }

    /** A chat the server has never seen, brought with its history: the history starts the session. */
    private void seedUnknownChat(Caller caller, Member member, ChatBody body) {
        if (body.earlier().isEmpty() || runs.store().findSession(body.chatId()).isPresent()
            || runs.activeRun(caller, body.chatId()).isPresent()) {
            return;
        }
        List<ImportedTurn> turns = ChatSeed.turns(body.earlier());
        if (!turns.isEmpty()) {
            runs.store().importSession(body.chatId(), caller.userId(), member.id(), turns);
        }
    }

    /** The client sends back the assistant message of a paused run, with the person's answers in it. */
    private void continueRun(Context ctx, Caller caller, ChatBody body, UiMessage assistant) {
        String runId = assistant.id();
        RunRef ref = runs.find(caller, runId);
        String sessionId = switch (ref) {
            case RunRef.Live live -> live.run().sessionId();
            case RunRef.Stored stored -> stored.run().sessionId();
        };
        if (!sessionId.equals(body.chatId())) {
            throw ApiError.notFound("run", runId);
        }
        List<RunRequirement> waitingFor = runs.requirements(ref);
        if (waitingFor.isEmpty()) {
            throw ApiError.conflict("run_not_paused", "message " + runId + " does not wait for tool answers (expected:"
                + " a new user message)");
        }
        List<ToolDecision> decisions = ToolAnswers.decisions(assistant, waitingFor);
        RunService.Continued continued = runs.continueRun(caller, runId, decisions, DisconnectPolicy.CONTINUE);
        stream(ctx, new RunRef.Live(continued.run()), continued.afterSeq(), RunFeed.Mode.SEGMENT);
    }

    private void stream(Context ctx, RunRef ref, long afterSeq, RunFeed.Mode mode) {
        ServerRun run = ref instanceof RunRef.Live live ? live.run() : null;
        // Set before the streamer commits the response; it adds the SSE headers every format has.
        ctx.res().setHeader(STREAM_HEADER, "v1");
        wire.streamer().stream(ctx.res(), runs.feed(ref, afterSeq, mode), new UiChunkEncoder(), run);
    }

    private static String agentOf(RunRef ref) {
        return switch (ref) {
            case RunRef.Live live -> live.run().agentId();
            case RunRef.Stored stored -> stored.run().agentId();
        };
    }

    private Member member(Context ctx) {
        return ctx.pathParamMap().containsKey("team_id")
            ? runs.team(ctx.pathParam("team_id"))
            : runs.agent(ctx.pathParam("agent_id"));
    }
}
