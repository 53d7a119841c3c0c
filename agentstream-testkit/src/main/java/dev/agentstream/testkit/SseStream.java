package dev.agentstream.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Writes Server-Sent Events to one response body and notices promptly when the client has gone.
 *
 * <p>A closed TCP peer is only noticed when a write fails (the first write after the close usually still
 * succeeds; the peer's RST makes the next one fail). So while it waits, this stream writes and flushes an SSE
 * comment line every {@link #PROBE_INTERVAL}; SSE parsers, LangChain4j's included, skip comment lines.
 * Used by one thread only: the one answering the request.
 */
final class SseStream {

    static final Duration PROBE_INTERVAL = Duration.ofMillis(10);

    private static final byte[] PROBE = ":\n\n".getBytes(StandardCharsets.UTF_8);

    private final OutputStream body;
    private final ShutdownSignal shutdown;

    SseStream(OutputStream body, ShutdownSignal shutdown) {
        this.body = body;
        this.shutdown = shutdown;
    }

    /** Writes one {@code data:} event and flushes it; an IOException means the client has gone. */
    void data(String payload) throws IOException {
        body.write(("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8));
        body.flush();
    }

    /** Waits {@code duration}, probing the connection meanwhile. */
    void pause(Duration duration) throws IOException, ShutdownSignal.ServerClosingException {
        long deadline = System.nanoTime() + duration.toNanos();
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0) {
            shutdown.sleep(Duration.ofNanos(Math.min(remaining, PROBE_INTERVAL.toNanos())));
            probe();
        }
    }

    /** Waits until the client goes (IOException) or the server closes, probing the connection meanwhile. */
    void stall() throws IOException, ShutdownSignal.ServerClosingException {
        while (true) {
            shutdown.sleep(PROBE_INTERVAL);
            probe();
        }
    }

    private void probe() throws IOException {
        body.write(PROBE);
        body.flush();
    }
}
