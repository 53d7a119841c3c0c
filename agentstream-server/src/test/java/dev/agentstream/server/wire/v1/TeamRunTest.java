package dev.agentstream.server.wire.v1;

import static dev.agentstream.server.testing.SseStream.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.Agent;
import dev.agentstream.Team;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.testkit.DemoChatModel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class TeamRunTest {

    static final DemoChatModel MODEL = DemoChatModel.builder().wordDelay(Duration.ofMillis(2)).build();

    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .customize(b -> b.team(Team.builder().id("team").model(MODEL)
            .member(Agent.builder().id("researcher").model(MODEL).build())
            .member(Agent.builder().id("writer").model(MODEL).build())
            .build()))
        .shared();

    @Test
    void aTeamRunIsOneStreamThatMemberEndsDoNotEnd() {
        try (SseStream stream = server.postStream("/v1/agents/team/runs", "{\"message\":\"story 5\"}")) {
            List<SseStream.Frame> frames = stream.rest();

            assertThat(names(frames).getFirst()).isEqualTo("TeamRunStarted");
            assertThat(names(frames).getLast()).isEqualTo("TeamRunCompleted");
            assertThat(frames).filteredOn(f -> f.event().equals("RunCompleted"))
                .extracting(f -> f.json().get("agent_id").asText())
                .containsExactlyInAnyOrder("researcher", "writer");
            for (int i = 0; i < frames.size(); i++) {
                assertThat(frames.get(i).seq()).isEqualTo(i + 1);
            }
            JsonNode teamStart = frames.getFirst().json();
            assertThat(teamStart.get("team_id").asText()).isEqualTo("team");
        }
    }

    @Test
    void theTeamIsListedWithItsMembers() {
        JsonNode team = server.getJson("/v1/agents", 200).get("agents").findParents("agent_id").stream()
            .filter(a -> a.get("agent_id").asText().equals("team")).findFirst().orElseThrow();

        assertThat(team.get("kind").asText()).isEqualTo("team");
        assertThat(team.get("members").toString()).contains("researcher", "writer");
    }

    @Test
    void teamsAreListedAtTheirOwnRouteAndRunThere() {
        JsonNode teams = server.getJson("/v1/teams", 200).get("teams");
        assertThat(teams).hasSize(1);
        assertThat(teams.get(0).get("team_id").asText()).isEqualTo("team");
        assertThat(teams.get(0).has("agent_id")).isFalse();
        assertThat(teams.get(0).get("members").toString()).contains("researcher", "writer");

        try (SseStream stream = server.postStream("/v1/teams/team/runs", "{\"message\":\"story 3\"}")) {
            List<SseStream.Frame> frames = stream.rest();
            assertThat(names(frames).getFirst()).isEqualTo("TeamRunStarted");
            assertThat(names(frames).getLast()).isEqualTo("TeamRunCompleted");
        }
    }

    @Test
    void anAgentIsNotATeam() {
        var response = server.post("/v1/teams/researcher/runs", "{\"message\":\"hi\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("team_not_found");
    }

    @Test
    void theTeamRunAndEachMemberRunAreStoredInTheSession() {
        String sessionId;
        String teamRunId;
        try (SseStream stream = server.postStream("/v1/teams/team/runs", "{\"message\":\"story 4\"}")) {
            List<SseStream.Frame> frames = stream.rest();
            sessionId = frames.getFirst().json().get("session_id").asText();
            teamRunId = frames.getFirst().json().get("run_id").asText();
        }

        JsonNode runs = server.getJson("/v1/sessions/" + sessionId + "/runs", 200).get("runs");
        assertThat(runs).hasSize(3);
        assertThat(runs.findValuesAsText("agent_id")).containsExactlyInAnyOrder("team", "researcher", "writer");
        for (JsonNode run : runs) {
            assertThat(run.get("status").asText()).isEqualTo("COMPLETED");
            if (!run.get("run_id").asText().equals(teamRunId)) {
                assertThat(run.get("parent_run_id").asText()).isEqualTo(teamRunId);
            }
        }
    }

    @Test
    void cancellingATeamRunOverHttpCancelsEveryMemberFirst() {
        try (SseStream stream = server.postStream("/v1/teams/team/runs", "{\"message\":\"story 5000\"}")) {
            List<SseStream.Frame> head = stream.until("RunContent");
            String teamRunId = head.getFirst().json().get("run_id").asText();

            var cancel = server.post("/v1/runs/" + teamRunId + "/cancel", "{}");
            List<SseStream.Frame> rest = stream.rest();

            assertThat(cancel.statusCode()).isEqualTo(202);
            assertThat(names(rest).getLast()).isEqualTo("TeamRunCancelled");
            assertThat(rest).filteredOn(f -> f.event().equals("RunCancelled"))
                .extracting(f -> f.json().get("agent_id").asText())
                .containsExactlyInAnyOrder("researcher", "writer");
        }
    }
}
