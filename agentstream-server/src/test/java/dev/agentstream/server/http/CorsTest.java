package dev.agentstream.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Browser pages from the configured origins may call every route; others get no CORS headers. */
@Timeout(30)
class CorsTest {

    static final String UI = "http://localhost:3000";

    @RegisterExtension
    static final TestServer server = TestServer.builder().apiKeys("alice:alice-key").shared();

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithoutAKey() {
        for (String path : List.of("/agents", "/sessions/abc/runs", "/agents/assistant/runs", "/v1/agents/assistant/runs")) {
            HttpResponse<String> response = preflight(path, UI, "POST", "content-type, authorization");

            assertThat(response.statusCode()).as(path).isEqualTo(204);
            assertThat(header(response, "Access-Control-Allow-Origin")).as(path).isEqualTo(UI);
            assertThat(header(response, "Access-Control-Allow-Methods")).contains("GET", "POST", "DELETE");
            assertThat(header(response, "Access-Control-Allow-Headers")).contains("content-type", "authorization");
        }
    }

    @Test
    void answersToAnAllowedOriginCarryTheOriginAndVary() {
        HttpResponse<String> ok = server.get("/agents", "Origin", "http://127.0.0.1:3000", "Authorization", "Bearer alice-key");
        HttpResponse<String> refused = server.get("/agents", "Origin", UI);

        assertThat(header(ok, "Access-Control-Allow-Origin")).isEqualTo("http://127.0.0.1:3000");
        assertThat(header(ok, "Vary")).contains("Origin");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(header(refused, "Access-Control-Allow-Origin")).isEqualTo(UI);
    }

    @Test
    void aStreamCarriesTheOriginToo() {
        HttpRequest request = server.request("/v1/agents/assistant/runs", "Origin", UI, "Authorization", "Bearer alice-key")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"story 2\"}")).build();
        try (SseStream stream = server.stream(request)) {
            assertThat(stream.contentType()).startsWith("text/event-stream");
            assertThat(stream.response().headers().firstValue("Access-Control-Allow-Origin")).contains(UI);
            assertThat(SseStream.names(stream.rest())).last().isEqualTo("RunCompleted");
        }
    }

    @Test
    void anOriginNotConfiguredGetsNoCorsHeaders() {
        HttpResponse<String> preflight = preflight("/agents", "http://evil.example", "GET", "authorization");
        HttpResponse<String> get = server.get("/health", "Origin", "http://evil.example");

        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void configuredOriginsReplaceTheDefaults() {
        try (TestServer custom = TestServer.builder().customize(b -> b.corsOrigins(List.of("https://chat.example.com/")))
            .start()) {
            HttpResponse<String> allowed = custom.get("/health", "Origin", "https://chat.example.com");
            HttpResponse<String> formerDefault = custom.get("/health", "Origin", UI);

            assertThat(header(allowed, "Access-Control-Allow-Origin")).isEqualTo("https://chat.example.com");
            assertThat(formerDefault.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @Test
    void originsAreParsedFromACommaSeparatedListAndCheckedEarly() {
        assertThat(Cors.parse(" http://a.example:8080, https://B.example/ ,")).containsExactly("http://a.example:8080",
            "https://b.example");
        assertThat(Cors.parse("*")).containsExactly("*");
        assertThat(Cors.parse("")).isEmpty();
        assertThatThrownBy(() -> Cors.parse("localhost:3000")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("scheme://host");
        assertThatThrownBy(() -> Cors.parse("http://a.example/path")).isInstanceOf(IllegalArgumentException.class);
    }

    private static HttpResponse<String> preflight(String path, String origin, String method, String headers) {
        return server.send(server.request(path, "Origin", origin, "Access-Control-Request-Method", method,
            "Access-Control-Request-Headers", headers).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }
}
