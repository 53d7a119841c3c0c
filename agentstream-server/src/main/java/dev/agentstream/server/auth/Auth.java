package dev.agentstream.server.auth;

import dev.agentstream.server.http.ApiError;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Optional;

/**
 * The {@code /v1} gate: with API keys configured, a request must carry
 * {@code Authorization: Bearer <key>} (401 otherwise) and becomes that key's user; without keys
 * every request is {@link Caller#LOCAL}. The caller is left on the context for the routes.
 *
 * <p>Thread contract: thread-safe; runs on request threads. Never logs a header or a key.
 */
public final class Auth implements Handler {

    private static final String ATTRIBUTE = "agentstream.caller";
    private static final String BEARER = "bearer ";

    private final ApiKeys keys;

    public Auth(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public void handle(Context ctx) {
        if (!keys.enabled()) {
            ctx.attribute(ATTRIBUTE, Caller.LOCAL);
            return;
        }
        String header = ctx.header("Authorization");
        Optional<Caller> caller = Optional.empty();
        if (header != null && header.length() > BEARER.length()
            && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            caller = keys.lookup(header.substring(BEARER.length()).strip());
        }
        if (caller.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"agentstream\"");
            throw ApiError.of(401, "unauthorized", header == null
                ? "missing Authorization header (expected: Bearer <api key>)"
                : "the API key is not valid (expected: Authorization: Bearer <api key>)");
        }
        ctx.attribute(ATTRIBUTE, caller.get());
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
