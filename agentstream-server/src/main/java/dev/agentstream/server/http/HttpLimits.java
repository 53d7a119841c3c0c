package dev.agentstream.server.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What one HTTP request and one connection may take: the body's size (413 past it), the request
 * line and headers' size (431, or 414 for the URI), how long a connection may sit silent before it
 * is closed, and how long a request may take to arrive once its first byte did (its head, or its
 * body after the head) before the connection is closed. Sockets opened to send nothing, or to
 * trickle a request a byte at a time, are closed within these bounds, so they cannot pile up.
 *
 * @param maxBodyBytes the largest request body accepted
 * @param maxHeaderBytes the largest request line and headers accepted, together
 * @param idleTimeout silence after which a connection is closed; longer than the SSE heartbeat, so streams stay open
 * @param readTimeout how long a request head, or a body after its head, may take to arrive
 */
public record HttpLimits(long maxBodyBytes, int maxHeaderBytes, Duration idleTimeout, Duration readTimeout) {

    public static final HttpLimits DEFAULT = new HttpLimits(1024 * 1024, 8 * 1024, Duration.ofSeconds(30),
        Duration.ofSeconds(10));

    public HttpLimits {
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: >= 1024)");
        }
        if (maxHeaderBytes < 1024) {
            throw new IllegalArgumentException("maxHeaderBytes: " + maxHeaderBytes + " (expected: >= 1024)");
        }
        requireNonNull(idleTimeout, "idleTimeout");
        requireNonNull(readTimeout, "readTimeout");
        if (idleTimeout.toMillis() < 1 || readTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("idleTimeout " + idleTimeout + ", readTimeout " + readTimeout
                + " (expected: at least 1ms each)");
        }
    }

    public HttpLimits withMaxBodyBytes(long bytes) {
        return new HttpLimits(bytes, maxHeaderBytes, idleTimeout, readTimeout);
    }
}
