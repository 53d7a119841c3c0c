package dev.agentstream.server.wire.agentos;

import static dev.agentstream.server.wire.agentos.AgentOsClient.fields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad input on the AgentOS routes: a clear 4xx with {@code {"detail": "…"}}, the text Agent UI shows. */
@Timeout(30)
class AgentOsErrorsTest {

    @RegisterExtension
    static final TestServer server = TestServer.builder().wordDelay(Duration.ofMillis(10)).shared();

    final AgentOsClient client = new AgentOsClient(server);

    @Test
    void anUnknownAgentIs404WithDetail() {
        HttpResponse<String> response = client.send(client.multipart("/agents/nobody/runs", fields("message", "hi")));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(response).path("detail").asText()).isEqualTo("Agent not found: nobody");
    }

    @Test
    void anAgentIsNotATeam() {
        HttpResponse<String> response = client.send(client.multipart("/teams/assistant/runs", fields("message", "hi")));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(response).path("detail").asText()).contains("Team not found");
    }

    @Test
    void aMissingMessageIs422WithDetail() {
        HttpResponse<String> response = client.send(client.multipart("/agents/assistant/runs", fields("stream", "true")));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(TestServer.json(response).path("detail").asText()).contains("message");
    }

    @Test
    void aJsonBodyIs415WithDetail() {
        HttpResponse<String> response = server.post("/agents/assistant/runs", "{\"message\":\"hi\"}");

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(TestServer.json(response).path("detail").asText()).contains("multipart/form-data");
    }

    @Test
    void aStreamValueThatIsNotABooleanIs422() {
        HttpResponse<String> response = client.send(client.multipart("/agents/assistant/runs",
            fields("message", "hi", "stream", "maybe")));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(TestServer.json(response).path("detail").asText()).contains("stream");
    }

    @Test
    void aSecondRunInABusySessionIs409WithDetail() {
        try (SseStream running = client.open(client.multipart("/agents/assistant/runs",
            fields("message", "story 3000", "session_id", "")))) {
            String sessionId = running.next().json().path("session_id").asText();

            HttpResponse<String> second = client.send(client.multipart("/agents/assistant/runs",
                fields("message", "story 1", "session_id", sessionId)));

            assertThat(second.statusCode()).isEqualTo(409);
            assertThat(TestServer.json(second).path("detail").asText()).contains("has a running run");
        }
    }

    @Test
    void anUnknownRouteUnderThesePathsIs404WithDetail() {
        HttpResponse<String> response = server.get("/sessions/x/messages/y");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(response).path("detail").asText()).isNotBlank();
    }

    @Test
    void aBadPageIs422WithDetail() {
        HttpResponse<String> response = server.get("/sessions?page=0");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(TestServer.json(response).path("detail").asText()).contains("page");
    }

    @Test
    void theNativeRoutesKeepTheirOwnErrorShape() {
        HttpResponse<String> response = server.get("/v1/sessions/nothing-here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(response).path("error").path("code").asText()).isEqualTo("session_not_found");
    }
}
