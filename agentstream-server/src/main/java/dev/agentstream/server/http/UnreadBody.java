package dev.agentstream.server.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads and drops what is left of a refused request's body, up to a bound, before the refusal is
 * written. A server that answers and closes while the client is still sending makes the client's
 * TCP stack see a reset, and most clients then report "connection reset" instead of the 413 or 401
 * that was sent (Tomcat's {@code maxSwallowSize} does the same, for the same reason). Past the bound
 * the body is left unread and the connection closes: a refusal must not cost more than that.
 */
final class UnreadBody {

    /** As Tomcat's default: twice the default body limit, read in a few milliseconds on any link. */
    static final long MAX_SWALLOW_BYTES = 2L * 1024 * 1024;

    private UnreadBody() {
    }

    static void swallow(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        if (declared == 0 || declared > MAX_SWALLOW_BYTES) {
            return;
        }
        try {
            InputStream in = request.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            int n;
            while (total <= MAX_SWALLOW_BYTES && (n = in.read(buffer)) >= 0) {
                total += n;
            }
        } catch (IOException | IllegalStateException e) {
            // Gone, reset, or read as a reader already: nothing left to spare the client from.
        }
    }
}
