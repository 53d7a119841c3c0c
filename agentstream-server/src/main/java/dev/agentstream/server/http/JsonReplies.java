package dev.agentstream.server.http;

import dev.agentstream.event.EventJson;
import io.javalin.http.Context;
import java.util.Map;

/** Writes JSON answers in the run model's style (snake_case, nulls left out) and the error shape. */
public final class JsonReplies {

    private JsonReplies() {
    }

    /** Answers {@code status} with {@code body} as JSON. */
    public static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(EventJson.writeBytes(body));
    }

    /** Answers with {@code {"error":{"code":…,"message":…}}}. */
    public static void error(Context ctx, ApiError error) {
        json(ctx, error.status(), Map.of("error", Map.of("code", error.code(), "message", error.getMessage())));
    }
}
