package dev.agentstream.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.event.EventJson;
import dev.agentstream.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests Jetty rejects before any route runs still get the JSON error body, never HTML or nothing. */
@Timeout(30)
class JettyRejectionsTest {

    @RegisterExtension
    static final TestServer server = TestServer.builder().shared();

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /v1/runs/%00/events HTTP/1.1",
        "GET /v1/runs/%2e%2e/%2e%2e/etc/passwd HTTP/1.1",
        "GET /v1/runs/a%ZZ/events HTTP/1.1",
        "GET /v1/agents\u0001 HTTP/1.1",
    })
    void aRequestJettyRejectsGetsA4xxWithTheJsonErrorBody(String requestLine) throws IOException {
        assertJsonRejection(exchange(requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Bad Header: a space in the name",
        "X-Folded: first\r\n line folded onto the next",
        "Content-Length: twelve",
    })
    void aHeaderJettyRejectsGetsA4xxWithTheJsonErrorBody(String header) throws IOException {
        assertJsonRejection(exchange("GET /v1/agents HTTP/1.1\r\nHost: localhost\r\n" + header
            + "\r\nConnection: close\r\n\r\n"));
    }

    @Test
    void headersTooLargeGetA431WithTheJsonErrorBody() throws IOException {
        String response = exchange("GET /v1/agents HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(16 * 1024)
            + "\r\nConnection: close\r\n\r\n");

        assertJsonRejection(response);
        assertThat(response).startsWith("HTTP/1.1 431");
    }

    @Test
    void aMethodNoRouteKnowsGetsA4xxWithTheJsonErrorBody() throws IOException {
        assertJsonRejection(exchange("BREW /v1/agents HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
    }

    private static void assertJsonRejection(String response) throws IOException {
        int status = Integer.parseInt(response.substring(9, 12));
        assertThat(status).as(response).isBetween(400, 499);
        assertThat(response.toLowerCase()).contains("content-type: application/json");
        JsonNode error = EventJson.mapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4)).get("error");
        assertThat(error.get("code").asText()).isNotBlank();
        assertThat(error.get("message").asText()).isNotBlank();
    }

    private static String exchange(String request) throws IOException {
        URI base = server.server().baseUri();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
