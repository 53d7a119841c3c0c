package dev.agentstream.server.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The response headers that keep a browser from misusing what the server sends: the chat page's
 * Content-Security-Policy, and {@code nosniff} on every response so that no answer is ever run as
 * a script or a page of another type than it says.
 *
 * <p>The page runs only its own module scripts and the WebJars it loads from this server
 * ({@code 'self'}), never inline script; it talks only to this server; and no other site may frame
 * it (clickjacking). {@code web/index.html} carries the same policy in a meta tag, which cannot
 * say {@code frame-ancestors}: this header is the one that counts.
 */
public final class SecurityHeaders {

    /** The chat page's policy. */
    public static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
        + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none';"
        + " frame-ancestors 'none'";

    private static final String NOSNIFF = "nosniff";

    private static final Map<String, String> PAGE = Map.of(
        "Content-Security-Policy", PAGE_POLICY,
        "X-Content-Type-Options", NOSNIFF,
        "Referrer-Policy", "no-referrer");

    private SecurityHeaders() {
    }

    /** The headers for the page's static files (the page, its scripts and CSS): {@code defaults} and ours. */
    public static Map<String, String> forPage(Map<String, String> defaults) {
        Map<String, String> headers = new LinkedHashMap<>(defaults);
        headers.putAll(PAGE);
        return headers;
    }

    /** A filter before every route: {@code nosniff} on whatever answers, JSON, stream or error. */
    public static void everyResponse(Context ctx) {
        ctx.header("X-Content-Type-Options", NOSNIFF);
    }
}
