package dev.agentstream.server.wire.agentos;

import dev.agentstream.server.http.JsonReplies;
import dev.agentstream.server.wire.WireContext;
import dev.agentstream.server.wire.agentos.AgentOsRunRoutes.Kind;
import io.javalin.http.Handler;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.List;

/**
 * Agno's AgentOS routes at the root of the port, so that Agno's Agent UI (whose default endpoint is
 * {@code http://localhost:7777}, agentstream's default address) works unchanged: agents and teams,
 * their runs (form bodies, streamed as Agno's events), sessions and their runs. Errors are
 * {@code {"detail": "…"}} on these paths; the API keys gate them as they gate {@code /v1}.
 * This class only maps paths to handlers.
 */
public final class AgentOsRoutes {

    /** The path prefixes of this format, for the filters that apply to all of its routes. */
    static final List<String> PATHS = List.of("/agents", "/agents/*", "/teams", "/teams/*", "/sessions", "/sessions/*");

    private AgentOsRoutes() {
    }

    /** Registers every AgentOS route, behind {@code auth}. */
    public static void register(JavalinDefaultRoutingApi routing, WireContext wire, Handler auth) {
        for (String path : PATHS) {
            // The error shape first, so that a refused key is a {"detail"} too.
            routing.before(path, ctx -> JsonReplies.errorShape(ctx, AgentOsViews.Detail::of));
            routing.before(path, auth);
        }
        CatalogRoutes catalog = new CatalogRoutes(wire.runs());
        AgentOsRunRoutes runs = new AgentOsRunRoutes(wire);
        AgentOsSessionRoutes sessions = new AgentOsSessionRoutes(wire.runs());
        routing.get("/agents", catalog::agents);
        routing.get("/teams", catalog::teams);
        for (Kind kind : Kind.values()) {
            String base = (kind == Kind.AGENT ? "/agents/{" : "/teams/{") + kind.pathParam + "}/runs";
            routing.post(base, ctx -> runs.start(ctx, kind));
            routing.post(base + "/{run_id}/cancel", ctx -> runs.cancel(ctx, kind));
            routing.post(base + "/{run_id}/continue", ctx -> runs.continueRun(ctx, kind));
        }
        routing.get("/sessions", sessions::list);
        routing.get("/sessions/{session_id}", sessions::get);
        routing.get("/sessions/{session_id}/runs", sessions::runs);
        routing.delete("/sessions/{session_id}", sessions::delete);
    }
}
