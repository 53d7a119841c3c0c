package dev.agentstream.server.auth;

import static java.util.Objects.requireNonNull;

import dev.agentstream.server.http.ApiError;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Optional;

/**
 * The one gate every route with data passes: with API keys or JWT verification configured, a
 * request must carry {@code Authorization: Bearer <api key or JWT>} (401 otherwise) and becomes the
 * key's user or the token's {@code sub}; with neither, every request is {@link Caller#LOCAL}. The
 * caller is left on the context for the routes. A key user and a token subject of the same name
 * are the same user.
 *
 * <p>Thread contract: thread-safe; runs on request threads. Never logs a header, a key or a token.
 */
public final class Auth implements Handler {

    private static final String ATTRIBUTE = "agentstream.caller";
    private static final String BEARER = "bearer ";

    private final ApiKeys keys;
    private final JwtVerifier tokens;

    /** API keys only. */
    public Auth(ApiKeys keys) {
        this(keys, null);
    }

    /** API keys and, unless {@code tokens} is null, JWT bearer tokens. */
    public Auth(ApiKeys keys, JwtVerifier tokens) {
        this.keys = requireNonNull(keys, "keys");
        this.tokens = tokens;
    }

    /** True if requests must present credentials. */
    public boolean enabled() {
        return keys.enabled() || tokens != null;
    }

    @Override
    public void handle(Context ctx) {
        if (!enabled()) {
            ctx.attribute(ATTRIBUTE, Caller.LOCAL);
            return;
        }
        String header = ctx.header("Authorization");
        String credential = bearerCredential(header);
        Optional<Caller> caller = credential == null ? Optional.empty() : identify(credential);
        if (caller.isEmpty()) {
            ctx.header("WWW-Authenticate", header == null ? "Bearer realm=\"agentstream\""
                : "Bearer realm=\"agentstream\", error=\"invalid_token\"");
            throw ApiError.of(401, "unauthorized", header == null
                ? "missing Authorization header (expected: Bearer <" + expected() + ">)"
                : "the credentials are not valid (expected: Authorization: Bearer <" + expected() + ">"
                    + (tokens == null ? "" : "; a token must be signed with the configured key, unexpired and"
                        + " for the configured issuer and audience") + ")");
        }
        ctx.attribute(ATTRIBUTE, caller.get());
    }

    /** What follows {@code Bearer } in an {@code Authorization} header; null when it is not a bearer one. */
    static String bearerCredential(String header) {
        if (header != null && header.length() > BEARER.length()
            && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return header.substring(BEARER.length()).strip();
        }
        return null;
    }

    private Optional<Caller> identify(String credential) {
        // The key lookup compares digests in constant time whether or not tokens are configured.
        Optional<Caller> byKey = keys.lookup(credential);
        if (byKey.isPresent() || tokens == null) {
            return byKey;
        }
        return tokens.verify(credential);
    }

    private String expected() {
        if (tokens == null) {
            return "api key";
        }
        return keys.enabled() ? "api key or JWT" : "JWT";
    }

    /** The caller of a request that passed the gate. */
    public static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("no caller on " + ctx.path() + ": the route is outside the auth gate");
        }
        return caller;
    }
}
