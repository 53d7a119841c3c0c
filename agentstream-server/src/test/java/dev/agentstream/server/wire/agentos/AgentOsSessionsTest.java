package dev.agentstream.server.wire.agentos;

import static dev.agentstream.server.wire.agentos.AgentOsClient.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.Agent;
import dev.agentstream.Team;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.testkit.DemoChatModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /sessions}: the list Agent UI's sidebar shows, the history it renders, delete. */
@Timeout(30)
class AgentOsSessionsTest {

    static final DemoChatModel MODEL = DemoChatModel.builder().wordDelay(Duration.ofMillis(2)).build();

    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .wordDelay(Duration.ofMillis(10))
        .agent(Agent.builder().id("listed").model(MODEL).build())
        .customize(b -> b.team(Team.builder().id("crew").model(MODEL)
            .member(Agent.builder().id("researcher").model(MODEL).build())
            .build()))
        .shared();

    final AgentOsClient client = new AgentOsClient(server);

    @Test
    void sessionsAreListedNewestFirstNamedByTheirFirstMessage() {
        List<String> sessions = new ArrayList<>();
        for (String message : List.of("story 1", "calculate 1+1", "story 2")) {
            sessions.add(client.run("listed", message, "").sessionId());
        }

        JsonNode page = server.getJson("/sessions?type=agent&component_id=listed&db_id=agentstream", 200);

        assertThat(page.path("data")).extracting(s -> s.path("session_id").asText())
            .containsExactly(sessions.get(2), sessions.get(1), sessions.get(0));
        assertThat(page.path("data")).extracting(s -> s.path("session_name").asText())
            .containsExactly("story 2", "calculate 1+1", "story 1");
        assertThat(page.path("data").get(0).path("created_at").isIntegralNumber()).isTrue();
        assertThat(page.path("data").get(0).path("updated_at").isIntegralNumber()).isTrue();
        JsonNode meta = page.path("meta");
        assertThat(List.of(meta.path("page").asInt(), meta.path("limit").asInt(), meta.path("total_pages").asInt(),
            meta.path("total_count").asInt())).containsExactly(1, 20, 1, 3);
    }

    @Test
    void sessionsArePagedByPageAndLimit() {
        String agent = "assistant";
        int before = server.getJson("/sessions?type=agent&component_id=" + agent, 200).path("meta").path("total_count").asInt();
        for (int i = 0; i < 3; i++) {
            client.run(agent, "story 1", "");
        }
        int total = before + 3;

        JsonNode page = server.getJson("/sessions?type=agent&component_id=" + agent + "&limit=2&page=2", 200);

        assertThat(page.path("data")).hasSize(Math.min(2, total - 2));
        assertThat(page.path("meta").path("total_count").asInt()).isEqualTo(total);
        assertThat(page.path("meta").path("total_pages").asInt()).isEqualTo((total + 1) / 2);
        assertThat(page.path("meta").path("page").asInt()).isEqualTo(2);
    }

    @Test
    void teamSessionsAreListedUnderTypeTeam() {
        String session = AgentOsClient.streamed(client.send(client.multipart("/teams/crew/runs",
            fields("message", "story 2", "stream", "true", "session_id", "")))).sessionId();

        assertThat(server.getJson("/sessions?type=team&component_id=crew&db_id=agentstream", 200).path("data"))
            .extracting(s -> s.path("session_id").asText()).containsExactly(session);
        assertThat(server.getJson("/sessions?type=agent&component_id=crew", 200).path("data")).isEmpty();
        JsonNode runs = server.getJson("/sessions/" + session + "/runs?type=team&db_id=agentstream", 200);
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).path("team_id").asText()).isEqualTo("crew");
    }

    @Test
    void aSessionsRunsAreItsTurnsWithQuestionAnswerAndTools() {
        AgentOsClient.Streamed first = client.run("assistant", "calculate 2+3", "");
        client.run("assistant", "think about snow", first.sessionId());

        JsonNode session = server.getJson("/sessions/" + first.sessionId() + "?type=agent&db_id=agentstream", 200);
        assertThat(session.path("session_name").asText()).isEqualTo("calculate 2+3");
        assertThat(session.path("agent_id").asText()).isEqualTo("assistant");

        JsonNode runs = server.getJson("/sessions/" + first.sessionId() + "/runs?type=agent&db_id=agentstream", 200);
        assertThat(runs.isArray()).isTrue();
        assertThat(runs).extracting(r -> r.path("run_input").asText()).containsExactly("calculate 2+3", "think about snow");
        assertThat(runs.get(0).path("content").asText()).isEqualTo(first.last().path("content").asText());
        assertThat(runs.get(0).path("tools").get(0).path("tool_name").asText()).isEqualTo("calculator");
        assertThat(runs.get(0).path("tools").get(0).path("tool_call_id").asText())
            .isEqualTo(first.first("ToolCallStarted").path("tool").path("tool_call_id").asText());
        assertThat(runs.get(0).path("created_at").isIntegralNumber()).isTrue();
        assertThat(runs.get(1).path("extra_data").path("reasoning_steps").get(0).path("reasoning").asText())
            .contains("step by step");
    }

    @Test
    void aSessionWhoseFirstRunIsStreamingListsThatRunWithTheAnswerSoFar() {
        try (SseStream stream = client.open(client.multipart("/agents/assistant/runs",
            fields("message", "story 400", "stream", "true", "session_id", "")))) {
            String sessionId = stream.next().json().path("session_id").asText();
            stream.until("RunContent");

            JsonNode runs = server.getJson("/sessions/" + sessionId + "/runs?type=agent&db_id=agentstream", 200);

            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).path("run_input").asText()).isEqualTo("story 400");
            assertThat(runs.get(0).path("content").asText()).isNotEmpty();
            assertThat(runs.get(0).path("status").asText()).isEqualTo("RUNNING");
        }
    }

    @Test
    void deletingASessionAnswers204AndForgetsIt() {
        String session = client.run("assistant", "story 1", "").sessionId();

        assertThat(server.delete("/sessions/" + session + "?db_id=agentstream").statusCode()).isEqualTo(204);
        JsonNode gone = TestServer.json(server.get("/sessions/" + session + "/runs"));
        assertThat(gone.path("detail").asText()).contains("Session not found");
        assertThat(server.get("/sessions/" + session).statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownSessionIs404WithDetail() {
        String unknown = UUID.randomUUID().toString();

        assertThat(server.get("/sessions/" + unknown + "/runs").statusCode()).isEqualTo(404);
        assertThat(TestServer.json(server.delete("/sessions/" + unknown)).path("detail").asText()).contains(unknown);
    }
}
