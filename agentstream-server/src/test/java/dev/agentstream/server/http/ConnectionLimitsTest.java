package dev.agentstream.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.event.EventJson;
import dev.agentstream.server.testing.RawHttp;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connections that send nothing, or trickle a request, are closed within the idle and read timeouts
 * and cannot pile up; a header or body over its limit is refused with the JSON error body; while a
 * kept-alive connection resting between requests, and a stream longer than both timeouts, are left alone.
 * Over raw sockets, as such clients behave.
 */
@Timeout(60)
class ConnectionLimitsTest {

    static final Duration IDLE = Duration.ofMillis(1500);
    static final Duration READ = Duration.ofMillis(500);

    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .wordDelay(Duration.ofMillis(60))
        .customize(b -> b.heartbeat(Duration.ofMillis(300))
            .httpLimits(new HttpLimits(4096, 4096, IDLE, READ)))
        .shared();

    static final ScheduledExecutorService trickler = Executors.newScheduledThreadPool(2);

    @AfterAll
    static void stopTrickling() {
        trickler.shutdownNow();
    }

    @Test
    void aSocketThatSendsNothingIsClosedAfterTheIdleTimeout() throws IOException {
        try (RawHttp socket = RawHttp.connect(base())) {
            long start = System.nanoTime();
            assertThat(socket.readUntilClosed(IDLE.multipliedBy(4))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(IDLE.minusMillis(200));
        }
    }

    @Test
    void aTrickledHeadIsAnswered408WithinTheReadTimeoutThoughBytesKeepComing() throws IOException {
        try (RawHttp socket = RawHttp.connect(base()).send("GET /health HTTP/1.1\r\nHost: localhost\r\n")) {
            trickle(socket, "X-Slow: 1\r\n");
            long start = System.nanoTime();
            String response = socket.readUntilClosed(IDLE.multipliedBy(4));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("cut by the read timeout, not the idle one")
                .isLessThan(IDLE);
            assertThat(response).startsWith("HTTP/1.1 408");
            assertThat(error(response).get("code").asText()).isEqualTo("request_timeout");
        }
    }

    @Test
    void aTrickledBodyIsCutAndStartsNothing() throws IOException {
        int sessionsBefore = server.getJson("/v1/sessions", 200).get("sessions").size();
        try (RawHttp socket = RawHttp.connect(base()).send("POST /v1/agents/assistant/runs HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/json\r\nContent-Length: 2000\r\n\r\n{\"message\":\"hi\",\"x\":\"")) {
            trickle(socket, "a");
            long start = System.nanoTime();
            socket.readUntilClosed(IDLE.multipliedBy(4));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(IDLE);
        }
        assertThat(server.getJson("/v1/sessions", 200).get("sessions")).hasSize(sessionsBefore);
    }

    @Test
    void manySilentAndTricklingSocketsNeitherBlockOthersNorStayOpen() throws IOException {
        List<RawHttp> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                RawHttp socket = RawHttp.connect(base());
                sockets.add(socket);
                if (i % 2 == 0) {
                    trickle(socket.send("GET /health HTTP/1.1\r\n"), "X: y\r\n");
                }
            }
            assertThat(health()).startsWith("HTTP/1.1 200");
            for (RawHttp socket : sockets) {
                socket.readUntilClosed(IDLE.multipliedBy(4));
            }
        } finally {
            for (RawHttp socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aKeptAliveConnectionMayRestBetweenRequestsLongerThanTheReadTimeout() throws IOException {
        try (RawHttp socket = RawHttp.connect(base())) {
            socket.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n").readUntil("\"status\"");
            assertThat(socket.silentFor(READ.multipliedBy(2))).as("the server keeps the resting connection").isTrue();
            String second = socket.send("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .readUntilClosed(IDLE);
            assertThat(second.substring(second.indexOf("\"status\"") + 1)).contains("HTTP/1.1 200");
        }
    }

    @Test
    void aStreamLongerThanBothTimeoutsRunsToItsEnd() {
        long start = System.nanoTime();
        try (SseStream stream = server.run("{\"message\":\"story 40\"}")) {
            List<SseStream.Frame> frames = stream.rest();
            assertThat(frames.getLast().event()).isEqualTo("RunCompleted");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(IDLE);
    }

    @Test
    void headersOverTheLimitAre431WithTheJsonErrorBody() throws IOException {
        try (RawHttp socket = RawHttp.connect(base())) {
            String response = socket.send("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(5000)
                + "\r\n\r\n").readUntilClosed(IDLE);
            assertThat(response).startsWith("HTTP/1.1 431");
            assertThat(error(response).get("message").asText()).isNotBlank();
        }
    }

    @Test
    void aBodyOverTheLimitIs413WithTheJsonErrorBody() throws IOException {
        String body = "{\"message\":\"" + "m".repeat(5000) + "\"}";
        try (RawHttp socket = RawHttp.connect(base())) {
            String response = socket.send("POST /v1/agents/assistant/runs HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).readUntilClosed(IDLE);
            assertThat(response).startsWith("HTTP/1.1 413");
            assertThat(error(response).get("code").asText()).isEqualTo("body_too_large");
        }
    }

    /** Sends {@code piece} every 100 ms, well inside the idle timeout, until the socket is closed. */
    private static void trickle(RawHttp socket, String piece) {
        trickler.scheduleAtFixedRate(() -> {
            try {
                socket.send(piece);
            } catch (IOException e) {
                throw new IllegalStateException("closed", e);
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
    }

    private static String health() throws IOException {
        try (RawHttp socket = RawHttp.connect(base())) {
            return socket.send("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").readUntilClosed(IDLE);
        }
    }

    private static JsonNode error(String response) throws IOException {
        return EventJson.mapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4)).get("error");
    }

    private static URI base() {
        return server.server().baseUri();
    }
}
