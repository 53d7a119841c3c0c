package dev.agentstream.server.wire.v1;

import dev.agentstream.server.wire.WireContext;
import io.javalin.router.JavalinDefaultRoutingApi;

/**
 * The native API under {@code /v1}: Agno's event names with agentstream's {@code seq} as the SSE
 * {@code id}, resumable with {@code Last-Event-ID} or {@code ?after=}. Auth runs before these
 * routes as a shared filter; this class only maps paths to handlers.
 */
public final class V1Routes {

    private V1Routes() {
    }

    /** Registers every {@code /v1} route. */
    public static void register(JavalinDefaultRoutingApi routing, WireContext wire) {
        RunRoutes runs = new RunRoutes(wire);
        SessionRoutes sessions = new SessionRoutes(wire.runs());
        routing.get("/v1/agents", sessions::agents);
        routing.post("/v1/agents/{agent_id}/runs", runs::start);
        routing.get("/v1/teams", sessions::teams);
        routing.post("/v1/teams/{team_id}/runs", runs::startTeam);
        routing.get("/v1/runs/{run_id}", runs::get);
        routing.get("/v1/runs/{run_id}/events", runs::events);
        routing.post("/v1/runs/{run_id}/cancel", runs::cancel);
        routing.post("/v1/runs/{run_id}/continue", runs::continueRun);
        routing.get("/v1/sessions", sessions::list);
        routing.get("/v1/sessions/{session_id}", sessions::get);
        routing.get("/v1/sessions/{session_id}/messages", sessions::messages);
        routing.get("/v1/sessions/{session_id}/runs", sessions::runs);
        routing.delete("/v1/sessions/{session_id}", sessions::delete);
    }
}
