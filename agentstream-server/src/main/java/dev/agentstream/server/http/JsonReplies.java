package dev.agentstream.server.http;

import dev.agentstream.event.EventJson;
import io.javalin.http.Context;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes JSON answers in the run model's style (snake_case, nulls left out) and the error shape:
 * the native {@code {"error":{"code":…,"message":…}}}, or the one a wire format chose for its
 * routes with {@link #errorShape}.
 */
public final class JsonReplies {

    private static final String ERROR_SHAPE = "agentstream.errorShape";

    private JsonReplies() {
    }

    /** Answers {@code status} with {@code body} as JSON. */
    public static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(EventJson.writeBytes(body));
    }

    /**
     * Makes the errors of this request, also those of filters and unknown routes after this call,
     * render as {@code shape} makes them (a format's own error body) instead of the native shape.
     */
    public static void errorShape(Context ctx, Function<ApiError, Object> shape) {
        ctx.attribute(ERROR_SHAPE, shape);
    }

    /** Answers with the error's status and body: the request's {@link #errorShape}, or the native one. */
    public static void error(Context ctx, ApiError error) {
        Function<ApiError, Object> shape = ctx.attribute(ERROR_SHAPE);
        json(ctx, error.status(), shape != null ? shape.apply(error)
            : Map.of("error", Map.of("code", error.code(), "message", error.getMessage())));
    }
}
