package dev.agentstream.server.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * An answer the client caused or can act on: an HTTP status, a stable machine-readable
 * {@code code} and a message for people. Thrown by route handlers and rendered as
 * {@code {"error":{"code":…,"message":…}}}; never logged as a server failure.
 *
 * <p>Messages name the offending field and what was expected, and never echo secrets. Instances
 * carry no stack trace: they are control flow, not bugs.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final Duration retryAfter;

    private ApiError(int status, String code, String message) {
        this(status, code, message, null);
    }

    private ApiError(int status, String code, String message, Duration retryAfter) {
        super(requireNonNull(message, "message"), null, false, false);
        this.status = status;
        this.code = requireNonNull(code, "code");
        this.retryAfter = retryAfter;
    }

    public static ApiError of(int status, String code, String message) {
        return new ApiError(status, code, message);
    }

    /** A refusal that may succeed later (429, 503): answered with a {@code Retry-After} header. */
    public static ApiError retryLater(int status, String code, String message, Duration retryAfter) {
        return new ApiError(status, code, message, requireNonNull(retryAfter, "retryAfter"));
    }

    /** 400: the body is not JSON, or not the JSON shape asked for. */
    public static ApiError badRequest(String code, String message) {
        return new ApiError(400, code, message);
    }

    /** 422: the JSON is well formed but a value is wrong. */
    public static ApiError invalid(String message) {
        return new ApiError(422, "invalid_request", message);
    }

    /** 404 for a thing that does not exist or belongs to someone else (never 403: ids are not confirmed). */
    public static ApiError notFound(String what, String id) {
        return new ApiError(404, what + "_not_found", what + " not found: " + id);
    }

    /** 409: the request conflicts with the state of the run or session. */
    public static ApiError conflict(String code, String message) {
        return new ApiError(409, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** How long the client should wait before trying again; empty when trying again will not help. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
