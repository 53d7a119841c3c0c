package dev.agentstream.server.wire.agentos;

import dev.agentstream.Member;
import dev.agentstream.server.auth.Auth;
import dev.agentstream.server.http.JsonReplies;
import dev.agentstream.server.run.RunService;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /agents} and {@code GET /teams}: bare arrays (Agent UI understands no wrapper), sorted
 * by id, each entry with a non-empty {@code db_id} (without one the UI shows no sessions). No teams
 * is {@code []}, never 404.
 */
final class CatalogRoutes {

    private final RunService runs;

    CatalogRoutes(RunService runs) {
        this.runs = runs;
    }

    void agents(Context ctx) {
        list(ctx, AgentOsRunRoutes.Kind.AGENT);
    }

    void teams(Context ctx) {
        list(ctx, AgentOsRunRoutes.Kind.TEAM);
    }

    private void list(Context ctx, AgentOsRunRoutes.Kind kind) {
        Auth.caller(ctx);
        List<AgentOsViews.ComponentView> list = runs.agents().values().stream()
            .filter(kind::serves)
            .sorted(Comparator.comparing(Member::id))
            .map(AgentOsViews.ComponentView::of)
            .toList();
        JsonReplies.json(ctx, 200, list);
    }
}
