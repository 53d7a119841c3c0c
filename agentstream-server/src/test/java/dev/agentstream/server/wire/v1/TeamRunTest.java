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
}
