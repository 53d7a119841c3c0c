package dev.agentstream.server.wire.agui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentstream.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The AG-UI routes behind API keys: the caller's bearer key decides, and another user's thread is 404. */
@Timeout(30)
class AgUiAuthTest {

    static final String[] ALICE = {"Authorization", "Bearer key-alice"};
    static final String[] BOB = {"Authorization", "Bearer key-bob"};

    @RegisterExtension
    static final TestServer server = TestServer.builder().apiKeys("alice:key-alice,bob:key-bob").shared();

    @Test
    void withoutAValidKeyEveryAgUiRouteIs401WithAJsonBody() {
        ObjectNode input = AgUiStream.input("thread-" + UUID.randomUUID(), "story 2");

        HttpResponse<String> none = server.post("/agui/agents/assistant", input.toString());
        HttpResponse<String> wrong = server.post("/agui/agents/assistant", input.toString(), "Authorization", "Bearer nope");
        HttpResponse<String> status = server.get("/agui/status");

        for (HttpResponse<String> response : java.util.List.of(none, wrong, status)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(TestServer.json(response).get("error").get("code").asText()).isEqualTo("unauthorized");
        }
    }

    @Test
    void aThreadIsItsOwnersAnotherUsersRunOrResumeOnItIs404() {
        String thread = "thread-" + UUID.randomUUID();
        AgUiStream paused = AgUiStream.post(server, "/agui/agents/assistant",
            AgUiStream.input(thread, "email bob@example.com hi"), ALICE);
        ObjectNode resume = AgUiStream.resume(thread, paused.interrupt().get("id").asText(), AgUiStream.ACCEPT);

        HttpResponse<String> bobRuns = server.post("/agui/agents/assistant", AgUiStream.input(thread, "hi").toString(), BOB);
        HttpResponse<String> bobResumes = server.post("/agui/agents/assistant", resume.toString(), BOB);
        AgUiStream aliceResumes = AgUiStream.post(server, "/agui/agents/assistant", resume, ALICE);

        assertThat(bobRuns.statusCode()).isEqualTo(404);
        assertThat(bobResumes.statusCode()).isEqualTo(404);
        JsonNode finished = aliceResumes.assertInOrder().last();
        assertThat(finished.get("type").asText()).isEqualTo("RUN_FINISHED");
        assertThat(finished.has("outcome")).isFalse();
    }
}
