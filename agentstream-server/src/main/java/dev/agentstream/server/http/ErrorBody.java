package dev.agentstream.server.http;

import io.javalin.http.Context;

/**
 * How an error answer is written. The native shape is {@code {"error":{"code":…,"message":…}}}; a
 * wire format whose clients expect another shape (OpenAI's adds {@code type}) registers its own
 * for its paths with {@link ErrorMapping#register(io.javalin.router.JavalinDefaultRoutingApi, java.util.Map)}.
 *
 * <p>Thread contract: thread-safe; called on request threads.
 */
@FunctionalInterface
public interface ErrorBody {

    /** The native shape. */
    ErrorBody NATIVE = JsonReplies::error;

    /** Answers {@code ctx} with {@code error}'s status and this format's body for it. */
    void write(Context ctx, ApiError error);
}
