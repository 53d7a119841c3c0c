package dev.agentstream.server.wire.agentos;

import dev.agentstream.Member;
import dev.agentstream.RunHandle;
import dev.agentstream.Team;
import dev.agentstream.event.RunStatus;
import dev.agentstream.event.ToolExecution;
import dev.agentstream.run.PausedRun;
import dev.agentstream.server.auth.Auth;
import dev.agentstream.server.auth.Caller;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.server.http.JsonFields;
import dev.agentstream.server.http.JsonReplies;
import dev.agentstream.server.run.RunService;
import dev.agentstream.server.run.ServerRun;
import dev.agentstream.store.SessionStore;
import dev.agentstream.store.StoredMessage;
import dev.agentstream.store.StoredRun;
import dev.agentstream.store.StoredSession;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * AgentOS's session routes: the caller's sessions of an agent or team, paged newest first; one
 * session; its runs as turns (a run still streaming included, with its answer so far, so that a
 * client fetching the history mid-run keeps what it shows); delete. {@code db_id} is taken and not
 * checked: agentstream serves one database. Someone else's session is 404.
 *
 * <p>Thread contract: thread-safe; each handler runs on its request's virtual thread.
 */
final class AgentOsSessionRoutes {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final RunService runs;
    private final SessionStore store;

    AgentOsSessionRoutes(RunService runs) {
        this.runs = runs;
        this.store = runs.store();
    }

    /** {@code GET /sessions?type=agent|team&component_id=&db_id=&page=&limit=}; {@code type} defaults to agent, as in Agno. */
    void list(Context ctx) {
        Caller caller = Auth.caller(ctx);
        boolean teams = type(ctx.queryParam("type"));
        String componentId = Optional.ofNullable(ctx.queryParam("component_id")).filter(id -> !id.isBlank()).orElse(null);
        int page = intParam(ctx, "page", 1, 1, Integer.MAX_VALUE);
        int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        // The store pages by owner and component; the kind (agent or team) is the served member's.
        List<StoredSession> matching = store.listSessions(caller.userId(), componentId, Integer.MAX_VALUE, 0).stream()
            .filter(session -> isTeam(session.agentId()) == teams)
            .toList();
        int from = (int) Math.min((long) (page - 1) * limit, matching.size());
        List<AgentOsViews.SessionSummary> data = matching.subList(from, Math.min(from + limit, matching.size())).stream()
            .map(AgentOsViews.SessionSummary::of)
            .toList();
        int totalPages = (matching.size() + limit - 1) / limit;
        JsonReplies.json(ctx, 200, new AgentOsViews.SessionPage(data,
            new AgentOsViews.PageMeta(page, limit, totalPages, matching.size())));
    }

    /** {@code GET /sessions/{session_id}}. */
    void get(Context ctx) {
        StoredSession session = owned(ctx);
        JsonReplies.json(ctx, 200, AgentOsViews.SessionDetail.of(session, isTeam(session.agentId())));
    }

    /** {@code GET /sessions/{session_id}/runs}: the session's own runs (a team's members' runs are not turns), oldest first. */
    void runs(Context ctx) {
        StoredSession session = owned(ctx);
        boolean team = isTeam(session.agentId());
        Map<String, List<StoredMessage>> messages = store.messages(session.sessionId()).stream()
            .filter(message -> message.runId() != null)
            .collect(Collectors.groupingBy(StoredMessage::runId));
        List<AgentOsViews.RunView> list = store.runs(session.sessionId()).stream()
            .filter(run -> run.parentRunId() == null)
            .map(run -> view(run, team, messages.getOrDefault(run.runId(), List.of())))
            .toList();
        JsonReplies.json(ctx, 200, list);
    }

    /** {@code DELETE /sessions/{session_id}}: 204; 409 while a run is going in it. */
    void delete(Context ctx) {
        runs.deleteSession(owned(ctx).sessionId());
        ctx.status(204);
    }

    private AgentOsViews.RunView view(StoredRun run, boolean team, List<StoredMessage> runMessages) {
        Optional<RunHandle> live = runs.live(run.runId()).flatMap(ServerRun::handle);
        if (live.isPresent()) {
            // Fresher than the store, which holds a streaming answer as of its last flush.
            AgentOsViews.RunView stored = AgentOsViews.RunView.stored(run, team, runMessages, List.of());
            return AgentOsViews.RunView.of(live.get().output(), team, stored.runInput(), stored.createdAt());
        }
        List<ToolExecution> paused = run.status() == RunStatus.PAUSED
            ? store.pausedState(run.runId()).map(PausedRun::tools).orElse(List.of())
            : List.of();
        return AgentOsViews.RunView.stored(run, team, runMessages, paused);
    }

    private StoredSession owned(Context ctx) {
        Caller caller = Auth.caller(ctx);
        String sessionId = ctx.pathParam("session_id");
        return store.findSession(sessionId)
            .filter(session -> caller.owns(session.userId()))
            .orElseThrow(() -> ApiError.of(404, "not_found", "Session not found: " + sessionId));
    }

    private boolean isTeam(String componentId) {
        Member member = runs.agents().get(componentId);
        return member instanceof Team;
    }

    /** True for {@code team}, false for {@code agent} or none. */
    private static boolean type(String value) {
        if (value == null || value.isBlank() || value.equals("agent")) {
            return false;
        }
        if (value.equals("team")) {
            return true;
        }
        throw ApiError.invalid("type: " + JsonFields.printable(value) + " (expected: agent or team)");
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Falls through to the answer below.
        }
        throw ApiError.invalid(name + ": " + JsonFields.printable(value) + " (expected: a whole number from " + min
            + " to " + max + ")");
    }
}
