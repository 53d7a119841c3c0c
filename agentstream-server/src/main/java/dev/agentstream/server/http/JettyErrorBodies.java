package dev.agentstream.server.http;

import dev.agentstream.event.EventJson;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The JSON error body for the rejections Jetty makes itself, before a route runs: a URI it cannot
 * accept (e.g. {@code /v1/runs/%00/events}), a malformed request line or header, headers too large.
 * Without it those answers are Jetty's HTML page or an empty body; clients of every route expect
 * {@code {"error":{"code","message"}}}.
 *
 * <p>Thread contract: stateless; Jetty calls it from any thread.
 */
public final class JettyErrorBodies extends ErrorHandler {

    public JettyErrorBodies() {
        setShowStacks(false);
        setShowCauses(false);
        setShowOrigin(false);
    }

    /** Every method gets the body (Jetty's default only writes one for GET, POST and HEAD); HEAD never has one. */
    @Override
    public boolean errorPageForMethod(String method) {
        return !HttpMethod.HEAD.is(method);
    }

    /** A rejection Jetty hands to its error handler: JSON whatever the request's Accept header says. */
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    /** A rejection while parsing the request itself, before any handler: Jetty sends these bytes. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
    }

    private static byte[] body(int status, String reason) {
        String message = reason == null || reason.isBlank() ? "the request was rejected (HTTP " + status + ")" : reason;
        return EventJson.writeBytes(Map.of("error", Map.of("code", code(status), "message", message)));
    }

    private static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            default -> "http_" + status;
        };
    }
}
