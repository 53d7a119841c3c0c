package dev.agentstream.server.http;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-origin access for browser front ends served from another origin (Agno's Agent UI on
 * {@code http://localhost:3000}, say): a filter before every route. A request from an allowed
 * origin gets {@code Access-Control-Allow-Origin} (and {@code Vary: Origin}) on whatever answers
 * it, error or stream; a preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) is
 * answered here with 204 and goes no further, so it needs no route and no API key. Other origins
 * get no CORS headers, so the browser keeps its page from reading the answer. No cookies are used,
 * so credentials are never allowed.
 *
 * <p>Thread contract: immutable, thread-safe.
 */
public final class Cors implements Handler {

    /** The origins front ends use in development when none are configured. */
    public static final List<String> DEFAULT_ORIGINS = List.of("http://localhost:3000", "http://127.0.0.1:3000");

    static final String METHODS = "GET, POST, DELETE, OPTIONS";
    /** Asked-for headers are echoed when they look like header names; these when none are asked for. */
    static final String DEFAULT_HEADERS = "authorization, content-type, last-event-id, idempotency-key";
    private static final String MAX_AGE_SECONDS = "600";

    private final Set<String> origins;
    private final boolean anyOrigin;

    private Cors(Collection<String> origins) {
        this.anyOrigin = origins.contains("*");
        this.origins = Set.copyOf(origins);
    }

    /**
     * A filter allowing {@code origins}: each {@code scheme://host[:port]} as browsers send it, or
     * {@code *} for any origin.
     *
     * @throws IllegalArgumentException naming the first value that is not an origin
     */
    public static Cors allowing(Collection<String> origins) {
        requireNonNull(origins, "origins");
        return new Cors(origins.stream().map(Cors::origin).toList());
    }

    /** Parses {@code a,b,c} (blanks ignored) into origins; see {@link #allowing}. */
    public static List<String> parse(String commaSeparated) {
        List<String> parsed = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                parsed.add(origin(part.strip()));
            }
        }
        return List.copyOf(parsed);
    }

    /** The origin in the form browsers send (no trailing slash, lower-case scheme and host). */
    static String origin(String value) {
        requireNonNull(value, "origin");
        if (value.equals("*")) {
            return value;
        }
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        try {
            URI uri = new URI(trimmed);
            boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (web && uri.getHost() != null && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                return trimmed.toLowerCase(Locale.ROOT);
            }
        } catch (java.net.URISyntaxException e) {
            // Falls through to the message below.
        }
        throw new IllegalArgumentException("CORS origin: " + JsonFields.printable(value)
            + " (expected: scheme://host[:port], e.g. http://localhost:3000, or *)");
    }

    @Override
    public void handle(Context ctx) {
        String origin = ctx.header("Origin");
        boolean allowed = origin != null && (anyOrigin || origins.contains(origin.toLowerCase(Locale.ROOT)));
        if (allowed) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Vary", "Origin");
        }
        if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
            if (allowed) {
                ctx.header("Access-Control-Allow-Methods", METHODS);
                ctx.header("Access-Control-Allow-Headers", allowedHeaders(ctx.header("Access-Control-Request-Headers")));
                ctx.header("Access-Control-Max-Age", MAX_AGE_SECONDS);
            }
            ctx.status(204);
            ctx.skipRemainingHandlers();
        }
    }

    private static String allowedHeaders(String requested) {
        return requested != null && requested.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+(\\s*,\\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*")
            ? requested
            : DEFAULT_HEADERS;
    }

    @Override
    public String toString() {
        return "Cors" + origins;
    }
}
