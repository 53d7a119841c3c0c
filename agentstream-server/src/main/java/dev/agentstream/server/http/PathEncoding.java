package dev.agentstream.server.http;

import io.javalin.http.Context;
import java.util.regex.Pattern;

/**
 * A filter before every route: a path whose percent-encoding is broken ({@code /sessions/%},
 * {@code /v1/runs/a%G1}) is 400 here. The HTTP layer lets some through, and the router would fail
 * decoding them into path parameters, a 500 for the client's typo.
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class PathEncoding {

    /** A {@code %} not followed by two hex digits. */
    private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private PathEncoding() {
    }

    public static void requireValid(Context ctx) {
        String path = ctx.req().getRequestURI();
        if (path != null && BROKEN_ESCAPE.matcher(path).find()) {
            throw ApiError.badRequest("bad_request", "the path " + JsonFields.printable(path)
                + " has a % that is not followed by two hex digits (expected: percent-encoding such as %2F)");
        }
    }
}
