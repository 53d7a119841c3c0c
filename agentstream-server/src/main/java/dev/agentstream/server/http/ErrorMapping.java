package dev.agentstream.server.http;

import dev.agentstream.store.StorageException;
import io.javalin.http.HttpResponseException;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps everything a handler throws to an error body, {@code {"error":{"code":…,"message":…}}} unless
 * a wire format brings its own shape for its paths: {@link ApiError}
 * as it is, Javalin's own answers (unknown route, wrong method) with a code from their status,
 * a {@link StorageException} (the database is away) as 503 with {@code Retry-After}, and anything else as a 500 that is logged with its stack trace (a bug, never the client's input).
 */
public final class ErrorMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);
    private static final Duration STORAGE_RETRY_AFTER = Duration.ofSeconds(5);

    private ErrorMapping() {
    }

    /** Registers the mapping with the native error body everywhere. */
    public static void register(JavalinDefaultRoutingApi routing) {
        register(routing, Map.of());
    }

    /**
     * Registers the mapping; under each path prefix of {@code bodies} (the path itself or below it)
     * errors are written in that format's shape, so its clients raise their usual exceptions.
     */
    public static void register(JavalinDefaultRoutingApi routing, Map<String, ErrorBody> bodies) {
        Map<String, ErrorBody> byPrefix = Map.copyOf(bodies);
        routing.exception(ApiError.class, (error, ctx) -> {
            if (!ctx.res().isCommitted()) {
                UnreadBody.swallow(ctx.req());
                // Set here, not by each body: every format's clients read the same header.
                error.retryAfter().ifPresent(wait -> ctx.header("Retry-After", retryAfterSeconds(wait)));
                bodyFor(byPrefix, ctx.path()).write(ctx, error);
            }
        });
        routing.exception(HttpResponseException.class, (e, ctx) -> {
            if (!ctx.res().isCommitted()) {
                UnreadBody.swallow(ctx.req());
                bodyFor(byPrefix, ctx.path()).write(ctx, ApiError.of(e.getStatus(), codeFor(e.getStatus()),
                    messageFor(e, ctx.method().name(), ctx.path())));
            }
        });
        routing.exception(StorageException.class, (e, ctx) -> {
            // The database is away or slow: the client's request was fine, so no 500; try again soon.
            LOG.warn("{} {}: storage unavailable: {}", ctx.method(), JsonFields.printable(ctx.path()), e.getMessage());
            if (!ctx.res().isCommitted()) {
                ctx.header("Retry-After", retryAfterSeconds(STORAGE_RETRY_AFTER));
                bodyFor(byPrefix, ctx.path()).write(ctx, ApiError.of(503, "storage_unavailable",
                    "the database is unavailable (try again shortly)"));
            }
        });
        routing.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), JsonFields.printable(ctx.path()), e);
            if (!ctx.res().isCommitted()) {
                bodyFor(byPrefix, ctx.path()).write(ctx, ApiError.of(500, "internal", "internal server error"));
            }
        });
    }

    /** Whole seconds, rounded up and at least 1: {@code Retry-After: 0} would invite a busy loop. */
    static String retryAfterSeconds(Duration wait) {
        long millis = wait.toMillis();
        return Long.toString(Math.max(1, (millis + 999) / 1000));
    }

    private static ErrorBody bodyFor(Map<String, ErrorBody> byPrefix, String path) {
        for (Map.Entry<String, ErrorBody> entry : byPrefix.entrySet()) {
            String prefix = entry.getKey();
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return entry.getValue();
            }
        }
        return ErrorBody.NATIVE;
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "body_too_large";
            default -> "http_" + status;
        };
    }

    private static String messageFor(HttpResponseException e, String method, String path) {
        return switch (e.getStatus()) {
            case 404 -> "no route for " + method + " " + JsonFields.printable(path);
            case 405 -> "method " + method + " is not allowed on " + JsonFields.printable(path);
            default -> e.getMessage() == null ? "HTTP " + e.getStatus() : e.getMessage().toLowerCase(Locale.ROOT);
        };
    }
}
