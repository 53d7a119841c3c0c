package dev.agentstream.server.wire.agentos;

import static dev.agentstream.server.wire.agentos.AgentOsClient.fields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With API keys, every AgentOS route needs the bearer token, and a user sees only their own sessions and runs. */
@Timeout(30)
class AgentOsAuthTest {

    static final String[] ALICE = {"Authorization", "Bearer alice-key"};
    static final String[] BOB = {"Authorization", "Bearer bob-key"};

    @RegisterExtension
    static final TestServer server = TestServer.builder().apiKeys("alice:alice-key,bob:bob-key").shared();

    final AgentOsClient client = new AgentOsClient(server);

    @Test
    void withoutABearerTokenTheRoutesAnswer401WithDetail() {
        for (String path : new String[] {"/agents", "/teams", "/sessions?type=agent", "/sessions/x/runs"}) {
            HttpResponse<String> response = server.get(path);

            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(TestServer.json(response).path("detail").asText()).as(path).contains("Authorization");
        }
        assertThat(client.send(client.multipart("/agents/assistant/runs", fields("message", "hi"))).statusCode())
            .isEqualTo(401);
    }

    @Test
    void aWrongBearerTokenIs401() {
        HttpResponse<String> response = server.get("/agents", "Authorization", "Bearer wrong");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(TestServer.json(response).path("detail").asText()).contains("not valid");
    }

    @Test
    void healthStaysOpen() {
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void anotherUsersSessionsAndRunsAre404() {
        AgentOsClient.Streamed alices = client.run("assistant", "story 2", "", ALICE);
        String session = alices.sessionId();

        assertThat(server.get("/sessions/" + session, BOB).statusCode()).isEqualTo(404);
        assertThat(server.get("/sessions/" + session + "/runs", BOB).statusCode()).isEqualTo(404);
        assertThat(server.delete("/sessions/" + session, BOB).statusCode()).isEqualTo(404);
        assertThat(server.send(server.request("/agents/assistant/runs/" + alices.runId() + "/cancel", BOB)
            .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(404);
        assertThat(client.send(client.multipart("/agents/assistant/runs",
            fields("message", "story 1", "session_id", session), BOB)).statusCode()).isEqualTo(404);
        assertThat(server.getJson("/sessions?type=agent&component_id=assistant", 200, BOB).path("data").toString())
            .doesNotContain(session);
        assertThat(server.getJson("/sessions?type=agent&component_id=assistant", 200, ALICE).path("data").toString())
            .contains(session);
        assertThat(server.get("/sessions/" + session + "/runs", ALICE).statusCode()).isEqualTo(200);
    }
}
