package dev.agentstream.server.wire.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.Agent;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.testkit.DemoChatModel;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class SessionRoutesTest {

    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .agent(Agent.builder().id("other").description("Another agent").model(DemoChatModel.builder().build()).build())
        .shared();

    private static JsonNode awaited(String body) {
        HttpResponse<String> response = server.post("/v1/agents/assistant/runs", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    @Test
    void aSessionShowsItsTitleMessagesAndRuns() {
        String sessionId = "s-" + UUID.randomUUID();
        JsonNode first = awaited("{\"message\":\"calculate 2+3\",\"stream\":false,\"session_id\":\"" + sessionId + "\"}");
        awaited("{\"message\":\"story 3\",\"stream\":false,\"session_id\":\"" + sessionId + "\"}");

        JsonNode session = server.getJson("/v1/sessions/" + sessionId, 200);
        assertThat(session.get("session_id").asText()).isEqualTo(sessionId);
        assertThat(session.get("agent_id").asText()).isEqualTo("assistant");
        assertThat(session.get("title").asText()).contains("calculate");
        assertThat(session.get("created_at").asLong()).isPositive();
        assertThat(session.has("active_run_id")).isFalse();

        JsonNode messages = server.getJson("/v1/sessions/" + sessionId + "/messages", 200).get("messages");
        assertThat(messages.findValuesAsText("role")).containsExactlyInAnyOrder("user", "tool", "assistant", "user", "assistant");
        assertThat(messages.get(0).get("content").asText()).isEqualTo("calculate 2+3");
        assertThat(messages.get(3).get("content").asText()).isEqualTo("story 3");
        JsonNode tool = messages.findParents("role").stream().filter(m -> m.get("role").asText().equals("tool"))
            .findFirst().orElseThrow();
        assertThat(tool.get("tool_name").asText()).isEqualTo("calculator");
        assertThat(tool.get("tool_args").get("expression").asText()).isEqualTo("2+3");
        assertThat(tool.get("content").asText()).isEqualTo("5");

        JsonNode runs = server.getJson("/v1/sessions/" + sessionId + "/runs", 200).get("runs");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).get("run_id").asText()).isEqualTo(first.get("run_id").asText());
        assertThat(runs.get(0).get("status").asText()).isEqualTo("COMPLETED");
        assertThat(runs.get(0).get("last_seq").asLong()).isEqualTo(first.get("last_seq").asLong());
    }

    @Test
    void sessionsAreListedNewestFirstAndPaged() {
        String older = awaited("{\"message\":\"one\",\"stream\":false}").get("session_id").asText();
        String newer = awaited("{\"message\":\"two\",\"stream\":false}").get("session_id").asText();

        JsonNode page = server.getJson("/v1/sessions?limit=2", 200);
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("sessions").findValuesAsText("session_id")).containsExactly(newer, older);
        JsonNode next = server.getJson("/v1/sessions?limit=1&offset=1", 200).get("sessions");
        assertThat(next.get(0).get("session_id").asText()).isEqualTo(older);
        assertThat(server.getJson("/v1/sessions?agent_id=assistant", 200).get("sessions")).isNotEmpty();
        assertThat(server.get("/v1/sessions?agent_id=nobody").statusCode()).isEqualTo(404);
    }

    @Test
    void deletingASessionRemovesItWithItsRuns() {
        JsonNode run = awaited("{\"message\":\"bye\",\"stream\":false}");
        String sessionId = run.get("session_id").asText();

        HttpResponse<String> deleted = server.delete("/v1/sessions/" + sessionId);

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(server.get("/v1/sessions/" + sessionId).statusCode()).isEqualTo(404);
        assertThat(server.get("/v1/runs/" + run.get("run_id").asText()).statusCode()).isEqualTo(404);
        assertThat(server.delete("/v1/sessions/" + sessionId).statusCode()).isEqualTo(404);
    }

    @Test
    void aSessionWithARunGoingCannotBeDeleted() {
        try (SseStream stream = server.run("{\"message\":\"story 400\"}")) {
            JsonNode started = stream.until("RunContent").getFirst().json();
            String sessionId = started.get("session_id").asText();

            HttpResponse<String> refused = server.delete("/v1/sessions/" + sessionId);

            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(TestServer.json(refused).get("error").get("code").asText()).isEqualTo("session_busy");
            assertThat(server.getJson("/v1/sessions/" + sessionId, 200).get("active_run_id").asText())
                .isEqualTo(started.get("run_id").asText());
        }
    }

    @Test
    void aSessionOfAnotherAgentIsAConflict() {
        String sessionId = awaited("{\"message\":\"hi\",\"stream\":false}").get("session_id").asText();

        HttpResponse<String> response = server.post("/v1/agents/other/runs",
            "{\"message\":\"hi\",\"session_id\":\"" + sessionId + "\"}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(TestServer.json(response).get("error").get("code").asText()).isEqualTo("session_agent_mismatch");
    }

    @Test
    void theAgentsAreListedWithTheirTools() {
        JsonNode agents = server.getJson("/v1/agents", 200).get("agents");

        assertThat(agents.findValuesAsText("agent_id")).containsExactly("assistant", "other");
        assertThat(agents.get(1).get("description").asText()).isEqualTo("Another agent");
        JsonNode assistant = agents.get(0);
        assertThat(assistant.get("agent_id").asText()).isEqualTo("assistant");
        assertThat(assistant.get("kind").asText()).isEqualTo("agent");
        assertThat(assistant.get("tools").findValuesAsText("name")).containsExactlyInAnyOrder("calculator", "current_time",
            "send_email");
        JsonNode email = assistant.get("tools").findParents("name").stream()
            .filter(t -> t.get("name").asText().equals("send_email")).findFirst().orElseThrow();
        assertThat(email.get("requires_confirmation").asBoolean()).isTrue();
    }
}
