package dev.agentstream.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How fast the server notices a client closing its connection, measured from the moment a plain socket is
 * closed, so that no HTTP client's own close latency is measured along with it.
 */
class ClientCloseDetectionTest {

    /** The probe interval is 10 ms, so a close is normally seen in 10-25 ms; the rest is slack for a busy box. */
    private static final Duration SEEN_WITHIN = Duration.ofMillis(100);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private ScriptedOpenAiServer server;

    @BeforeEach
    void startServer() {
        server = ScriptedOpenAiServer.start();
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    @Test
    void aCloseWhileTheServerWaitsBetweenChunksIsSeenWithin100ms() throws IOException {
        server.enqueue(Script.text("first", "second").chunkDelay(Duration.ofSeconds(10)));

        Duration seenAfter = closeAfterReading("first");

        assertThat(server.requests().getFirst().clientClosedEarly()).isTrue();
        assertThat(seenAfter).isLessThan(SEEN_WITHIN);
    }

    @Test
    void aCloseDuringAStallIsSeenWithin100ms() throws IOException {
        server.enqueue(Script.text("first", "second").stallAfter(1));

        Duration seenAfter = closeAfterReading("first");

        assertThat(server.requests().getFirst().clientClosedEarly()).isTrue();
        assertThat(seenAfter).isLessThan(SEEN_WITHIN);
    }

    @Test
    void aCloseDuringTheInitialDelayIsSeenWithin100ms() throws IOException {
        server.enqueue(Script.text("late").initialDelay(Duration.ofSeconds(10)));

        Duration seenAfter = closeAfterReading("text/event-stream");

        assertThat(server.requests().getFirst().clientClosedEarly()).isTrue();
        assertThat(seenAfter).isLessThan(SEEN_WITHIN);
    }

    /** Sends a streaming request on a plain socket, reads until {@code marker}, closes, and times the server. */
    private Duration closeAfterReading(String marker) throws IOException {
        long closedAt;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            byte[] body = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                    .getBytes(StandardCharsets.UTF_8);
            String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            readUntil(socket.getInputStream(), marker);
            closedAt = System.nanoTime();
        }
        RecordedRequest request = server.awaitRequest(0, WAIT);
        assertThat(request.awaitClientClosed(WAIT)).isTrue();
        return Duration.ofNanos(request.outcomeNanos() - closedAt);
    }

    private static void readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!seen.toString(StandardCharsets.UTF_8).contains(marker)) {
            int read = in.read(buffer);
            if (read < 0) {
                throw new IOException("stream ended before \"" + marker + "\": " + seen);
            }
            seen.write(buffer, 0, read);
        }
    }
}
