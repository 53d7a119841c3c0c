package dev.agentstream.server.wire.agentos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.Agent;
import dev.agentstream.Team;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.testkit.DemoChatModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What Agent UI fetches on connect: health, then teams and agents as bare arrays. */
class AgentOsCatalogTest {

    @RegisterExtension
    static final TestServer server = TestServer.builder().shared();

    @Test
    void healthAnswers200() {
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
        assertThat(server.getJson("/health", 200).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void agentsAreABareArrayWithTheFieldsTheUiReads() {
        JsonNode agents = server.getJson("/agents", 200);

        assertThat(agents.isArray()).isTrue();
        JsonNode assistant = agents.get(0);
        assertThat(assistant.path("id").asText()).isEqualTo("assistant");
        assertThat(assistant.path("name").asText()).isNotBlank();
        assertThat(assistant.path("db_id").asText()).isNotBlank();
        assertThat(assistant.path("model").path("model").asText()).isEqualTo(DemoChatModel.MODEL_NAME);
        assertThat(assistant.path("model").path("name").asText()).isNotBlank();
        assertThat(assistant.path("model").path("provider").asText()).isNotBlank();
    }

    @Test
    void teamsAreAnEmptyArrayWhenThereAreNone() {
        assertThat(server.getJson("/teams", 200).toString()).isEqualTo("[]");
    }

    @Test
    void teamsAreListedApartFromAgents() {
        DemoChatModel model = DemoChatModel.builder().build();
        try (TestServer withTeam = TestServer.builder().customize(b -> b.team(Team.builder().id("crew").name("Crew")
            .description("Does it together").model(model).member(Agent.builder().id("one").model(model).build())
            .build())).start()) {
            JsonNode teams = withTeam.getJson("/teams", 200);

            assertThat(teams).hasSize(1);
            assertThat(teams.get(0).path("id").asText()).isEqualTo("crew");
            assertThat(teams.get(0).path("description").asText()).isEqualTo("Does it together");
            assertThat(teams.get(0).path("db_id").asText()).isNotBlank();
            assertThat(withTeam.getJson("/agents", 200)).extracting(a -> a.path("id").asText()).containsExactly("assistant");
        }
    }
}
