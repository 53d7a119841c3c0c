package dev.agentstream.server.auth;

import dev.agentstream.server.http.ApiError;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.security.MessageDigest;

/**
 * The gate of {@code /metrics}: with a token configured ({@code AGENTSTREAM_METRICS_TOKEN}) a scrape
 * must carry {@code Authorization: Bearer <token>}, else 401; without one the route stays open, as
 * for a scrape on a private port. Separate from {@link Auth}: the token names no user and opens no
 * other route, and API keys or JWTs do not open this one.
 *
 * <p>Only the token's SHA-256 digest is kept, and a presented token is compared digest to digest
 * in constant time, so neither its length nor its bytes show in the time taken. Immutable and
 * thread-safe. Never logs a header or the token.
 */
public final class MetricsToken implements Handler {

    /** Shorter tokens are refused at start: a scrape credential must not be guessable. */
    public static final int MIN_LENGTH = 16;

    /** Null when the route is open. */
    private final byte[] digest;

    private MetricsToken(byte[] digest) {
        this.digest = digest;
    }

    /** {@code /metrics} open to any caller. */
    public static MetricsToken open() {
        return new MetricsToken(null);
    }

    /**
     * {@code /metrics} for callers presenting {@code token}.
     *
     * @throws IllegalArgumentException if it is shorter than {@link #MIN_LENGTH} (the message holds no token)
     */
    public static MetricsToken of(String token) {
        if (token == null || token.strip().length() < MIN_LENGTH) {
            throw new IllegalArgumentException((token == null ? 0 : token.strip().length()) + " characters (expected: at least "
                + MIN_LENGTH + ")");
        }
        return new MetricsToken(ApiKeys.digest(token.strip()));
    }

    /** True if scrapes must present the token. */
    public boolean required() {
        return digest != null;
    }

    @Override
    public void handle(Context ctx) {
        if (digest == null) {
            return;
        }
        String header = ctx.header("Authorization");
        String credential = Auth.bearerCredential(header);
        if (credential != null && MessageDigest.isEqual(digest, ApiKeys.digest(credential))) {
            return;
        }
        ctx.header("WWW-Authenticate", header == null ? "Bearer realm=\"agentstream-metrics\""
            : "Bearer realm=\"agentstream-metrics\", error=\"invalid_token\"");
        throw ApiError.of(401, "unauthorized", header == null
            ? "missing Authorization header (expected: Bearer <metrics token>)"
            : "the credentials are not valid (expected: Authorization: Bearer <metrics token>)");
    }

    @Override
    public String toString() {
        return digest == null ? "open" : "token";
    }
}
