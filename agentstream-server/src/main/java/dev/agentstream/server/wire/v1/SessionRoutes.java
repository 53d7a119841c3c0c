package dev.agentstream.server.wire.v1;

import dev.agentstream.Team;
import dev.agentstream.server.auth.Auth;
import dev.agentstream.server.auth.Caller;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.server.http.JsonReplies;
import dev.agentstream.server.run.RunService;
import dev.agentstream.server.run.ServerRun;
import dev.agentstream.store.SessionStore;
import dev.agentstream.store.StoredSession;
import io.javalin.http.Context;
import java.util.List;

/**
 * The native session and agent routes: list, read, messages, runs, delete; the agents served.
 *
 * <p>Thread contract: thread-safe; each handler runs on its request's virtual thread.
 */
final class SessionRoutes {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private final RunService runs;
    private final SessionStore store;

    SessionRoutes(RunService runs) {
        this.runs = runs;
        this.store = runs.store();
    }

    /** {@code GET /v1/sessions?agent_id=&limit=&offset=}: the caller's sessions, newest activity first. */
    void list(Context ctx) {
        Caller caller = Auth.caller(ctx);
        String agentId = ctx.queryParam("agent_id");
        if (agentId != null) {
            runs.agent(agentId);
        }
        int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        List<Views.SessionView> sessions = store.listSessions(caller.userId(), agentId, limit, offset).stream()
            .map(this::view)
            .toList();
        JsonReplies.json(ctx, 200, new Views.SessionList(sessions, limit, offset));
    }

    /** {@code GET /v1/sessions/{session_id}}. */
    void get(Context ctx) {
        JsonReplies.json(ctx, 200, view(owned(ctx)));
    }

    /** {@code GET /v1/sessions/{session_id}/messages}. */
    void messages(Context ctx) {
        StoredSession session = owned(ctx);
        List<Views.MessageView> messages = store.messages(session.sessionId()).stream().map(Views.MessageView::of).toList();
        JsonReplies.json(ctx, 200, new Views.MessageList(messages));
    }

    /** {@code GET /v1/sessions/{session_id}/runs}. */
    void runs(Context ctx) {
        StoredSession session = owned(ctx);
        List<Views.RunSummary> list = store.runs(session.sessionId()).stream().map(Views.RunSummary::of).toList();
        JsonReplies.json(ctx, 200, new Views.RunList(list));
    }

    /** {@code DELETE /v1/sessions/{session_id}}: 409 while a run is going in it. */
    void delete(Context ctx) {
        runs.deleteSession(owned(ctx).sessionId());
        ctx.status(204);
    }

    /** {@code GET /v1/agents}. */
    void agents(Context ctx) {
        Auth.caller(ctx);
        List<Views.AgentView> agents = runs.agents().values().stream()
            .map(Views.AgentView::of)
            .sorted(java.util.Comparator.comparing(Views.AgentView::agentId))
            .toList();
        JsonReplies.json(ctx, 200, new Views.AgentList(agents));
    }

    /** {@code GET /v1/teams}: the teams among the agents. */
    void teams(Context ctx) {
        Auth.caller(ctx);
        List<Views.TeamView> teams = runs.agents().values().stream()
            .filter(Team.class::isInstance)
            .map(Team.class::cast)
            .map(Views.TeamView::of)
            .sorted(java.util.Comparator.comparing(Views.TeamView::teamId))
            .toList();
        JsonReplies.json(ctx, 200, new Views.TeamList(teams));
    }

    private StoredSession owned(Context ctx) {
        Caller caller = Auth.caller(ctx);
        String sessionId = ctx.pathParam("session_id");
        return store.findSession(sessionId)
            .filter(session -> caller.owns(session.userId()))
            .orElseThrow(() -> ApiError.notFound("session", sessionId));
    }

    private Views.SessionView view(StoredSession session) {
        return Views.SessionView.of(session, runs.activeRun(session.sessionId()).map(ServerRun::runId).orElse(null));
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Falls through to the answer below.
        }
        throw ApiError.badRequest("invalid_request", name + ": not a number in range (expected: " + min + " to " + max + ")");
    }
}
