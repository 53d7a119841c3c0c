package dev.agentstream.server.wire.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.server.testing.KeepAliveHttp;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class BadInputTest {

    @RegisterExtension
    static final TestServer server = TestServer.builder().shared();
    static String pausedRunId;

    @BeforeAll
    static void start() {
        
        pausedRunId = TestServer.json(server.post("/v1/agents/assistant/runs",
            "{\"message\":\"email a@example.com hi\",\"stream\":false}")).get("run_id").asText();
    }

    private static JsonNode error(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode error = TestServer.json(response).get("error");
        assertThat(error.get("code").asText()).isNotBlank();
        assertThat(error.get("message").asText()).isNotBlank();
        return error;
    }

    private static HttpResponse<String> start(String body) {
        return server.post("/v1/agents/assistant/runs", body);
    }

    @Test
    void aBodyOverOneMebibyteIs413() {
        String big = "{\"message\":\"" + "x".repeat(1024 * 1024) + "\"}";

        assertThat(error(start(big), 413).get("code").asText()).isEqualTo("body_too_large");
    }

    @Test
    void anOversizedBodyIsReadBeforeItIsRefusedSoTheClientGetsThe413AndKeepsItsConnection() throws IOException {
        byte[] big = ("{\"message\":\"" + "x".repeat(1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        try (KeepAliveHttp http = new KeepAliveHttp(server.uri("/"), 10_000)) {
            KeepAliveHttp.Response refused = http.send("POST", "/v1/agents/assistant/runs",
                List.of("Content-Type: application/json"), big);

            assertThat(refused.status()).as(refused.bodyText()).isEqualTo(413);
            assertThat(refused.header("Connection")).as("a refused body that was read leaves the connection open")
                .isNotEqualToIgnoringCase("close");
        }
    }

    @Test
    void aChunkedBodyOverOneMebibyteIs413() {
        byte[] big = ("{\"message\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = server.request("/v1/agents/assistant/runs")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
            .build();

        assertThat(error(server.send(request), 413).get("code").asText()).isEqualTo("body_too_large");
    }

    @Test
    void malformedJsonIs400() {
        assertThat(error(start("{\"message\":"), 400).get("code").asText()).isEqualTo("invalid_json");
        assertThat(error(start("not json"), 400).get("code").asText()).isEqualTo("invalid_json");
        assertThat(error(start(""), 400).get("code").asText()).isEqualTo("invalid_json");
        assertThat(error(start("[1,2]"), 400).get("message").asText()).contains("expected: a JSON object");
        assertThat(error(start("{\"message\":\"a\"} {}"), 400).get("code").asText()).isEqualTo("invalid_json");
        assertThat(error(start("{\"message\":\"a\",\"message\":\"b\"}"), 400).get("message").asText()).contains("message");
    }

    @Test
    void wrongTypesAndValuesAre422WithTheFieldNamed() {
        Map<String, String> cases = Map.of(
            "{}", "message: missing",
            "{\"message\":42}", "message: a JSON number (expected: a string)",
            "{\"message\":\"  \"}", "message: blank",
            "{\"message\":\"hi\",\"stream\":\"yes\"}", "stream: a JSON string (expected: true or false)",
            "{\"message\":\"hi\",\"multitask\":\"queue\"}", "multitask: \"queue\" (expected: \"reject\", \"enqueue\" or \"interrupt\")",
            "{\"message\":\"hi\",\"on_disconnect\":\"stop\"}", "on_disconnect: \"stop\"",
            "{\"message\":\"hi\",\"session_id\":\"a b\"}", "session_id: not an id",
            "{\"message\":\"hi\",\"sesion_id\":\"x\"}", "unknown field sesion_id",
            "{\"message\":\"hi\",\"background\":true,\"stream\":true}", "stream: true with background: true");
        cases.forEach((body, message) -> {
            JsonNode error = error(start(body), 422);
            assertThat(error.get("code").asText()).isEqualTo("invalid_request");
            assertThat(error.get("message").asText()).as(body).contains(message);
        });
    }

    @Test
    void aBadIdempotencyKeyIs422() {
        HttpResponse<String> response = server.post("/v1/agents/assistant/runs", "{\"message\":\"hi\"}",
            "Idempotency-Key", "x".repeat(300));

        assertThat(error(response, 422).get("message").asText()).contains("Idempotency-Key");
    }

    @Test
    void continueBodiesAreValidated() {
        String path = "/v1/runs/" + pausedRunId + "/continue";
        assertThat(error(server.post(path, "{}"), 422).get("message").asText()).contains("tools: missing");
        assertThat(error(server.post(path, "{\"tools\":{}}"), 422).get("message").asText()).contains("tools: a JSON object");
        assertThat(error(server.post(path, "{\"tools\":[1]}"), 422).get("message").asText()).contains("tools[0]");
        assertThat(error(server.post(path, "{\"tools\":[{\"confirmed\":true}]}"), 422).get("message").asText())
            .contains("tools[0].tool_call_id: missing");
        assertThat(error(server.post(path, "{\"tools\":[{\"tool_call_id\":\"x\",\"confirmed\":\"yes\"}]}"), 422)
            .get("message").asText()).contains("tools[0].confirmed");
        assertThat(error(server.post(path, "{\"tools\":[{\"tool_call_id\":\"x\",\"approve\":true}]}"), 422)
            .get("message").asText()).contains("unknown field tools[0].approve");
    }

    @Test
    void unknownAgentRunSessionAndRouteAre404() {
        assertThat(error(server.post("/v1/agents/nobody/runs", "{\"message\":\"hi\"}"), 404).get("code").asText())
            .isEqualTo("agent_not_found");
        assertThat(error(server.get("/v1/runs/nope"), 404).get("code").asText()).isEqualTo("run_not_found");
        assertThat(error(server.get("/v1/runs/nope/events"), 404).get("code").asText()).isEqualTo("run_not_found");
        assertThat(error(server.post("/v1/runs/nope/cancel", ""), 404).get("code").asText()).isEqualTo("run_not_found");
        assertThat(error(server.post("/v1/runs/nope/continue", "{\"tools\":[]}"), 404).get("code").asText())
            .isEqualTo("run_not_found");
        assertThat(error(server.get("/v1/sessions/nope"), 404).get("code").asText()).isEqualTo("session_not_found");
        assertThat(error(server.get("/v1/sessions/nope/messages"), 404).get("code").asText()).isEqualTo("session_not_found");
        assertThat(error(server.get("/v1/sessions/nope/runs"), 404).get("code").asText()).isEqualTo("session_not_found");
        assertThat(error(server.delete("/v1/sessions/nope"), 404).get("code").asText()).isEqualTo("session_not_found");
        assertThat(error(server.get("/v1/nothing-here"), 404).get("code").asText()).isEqualTo("not_found");
    }

    @Test
    void aWrongMethodIs405() {
        assertThat(error(server.delete("/v1/agents"), 405).get("code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void badResumePositionsAre400() {
        String runId = pausedRunId;
        assertThat(error(server.get("/v1/runs/" + runId + "/events?after=-1"), 400).get("message").asText()).contains("after");
        assertThat(error(server.get("/v1/runs/" + runId + "/events", "Last-Event-ID", "abc"), 400).get("message").asText())
            .contains("Last-Event-ID");
        assertThat(error(server.get("/v1/runs/" + runId + "/events?after=999"), 400).get("message").asText())
            .contains("at most the run's last seq");
        assertThat(error(server.get("/v1/sessions?limit=0"), 400).get("message").asText()).contains("limit");
        assertThat(error(server.get("/v1/sessions?offset=x"), 400).get("message").asText()).contains("offset");
    }
}
