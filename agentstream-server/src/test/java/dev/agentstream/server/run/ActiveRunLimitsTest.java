package dev.agentstream.server.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The caps on runs going at once, per user (429) and per node (503), over real HTTP. */
@Timeout(60)
class ActiveRunLimitsTest {

    private static final String[] ALICE = {"Authorization", "Bearer key-alice"};
    private static final String[] BOB = {"Authorization", "Bearer key-bob"};

    /** A server whose demo runs go on until cancelled (a word a minute). */
    private static TestServer server(UnaryOperator<dev.agentstream.server.AgentstreamServer.Builder> limits) {
        return TestServer.builder()
            .wordDelay(Duration.ofMinutes(1))
            .apiKeys("alice:key-alice,bob:key-bob")
            .customize(limits)
            .start();
    }

    private static HttpResponse<String> startBackground(TestServer server, String... caller) {
        return server.post("/v1/agents/assistant/runs", "{\"message\":\"story 20\",\"background\":true}", caller);
    }

    private static String started(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return TestServer.json(response).get("run_id").asText();
    }

    @Test
    void aUsersRunPastTheirCapGets429WithRetryAfterWhileAnotherUserStillStarts() {
        try (TestServer server = server(b -> b.maxRunsPerUser(2).maxActiveRuns(10))) {
            started(startBackground(server, ALICE));
            started(startBackground(server, ALICE));

            HttpResponse<String> refused = startBackground(server, ALICE);

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            JsonNode error = TestServer.json(refused).get("error");
            assertThat(error.get("code").asText()).isEqualTo("too_many_runs");
            assertThat(error.get("message").asText()).contains("2 runs going");
            started(startBackground(server, BOB));
        }
    }

    @Test
    void aStartPastTheNodesCapGets503WithRetryAfter() {
        try (TestServer server = server(b -> b.maxRunsPerUser(5).maxActiveRuns(2))) {
            started(startBackground(server, ALICE));
            started(startBackground(server, BOB));

            HttpResponse<String> refused = startBackground(server, ALICE);

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(TestServer.json(refused).get("error").get("code").asText()).isEqualTo("server_busy");
        }
    }

    @Test
    void aSlotFreesWhenARunEnds() {
        try (TestServer server = server(b -> b.maxRunsPerUser(1))) {
            String first = started(startBackground(server, ALICE));
            assertThat(startBackground(server, ALICE).statusCode()).isEqualTo(429);

            assertThat(server.post("/v1/runs/" + first + "/cancel", "", ALICE).statusCode()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(10))
                .until(() -> startBackground(server, ALICE).statusCode() == 202);
        }
    }

    @Test
    void aRefusedStartLeavesNothingBehind() {
        try (TestServer server = server(b -> b.maxRunsPerUser(1))) {
            started(startBackground(server, ALICE));

            HttpResponse<String> refused = server.post("/v1/agents/assistant/runs",
                "{\"message\":\"hi\",\"background\":true,\"session_id\":\"refused-session\"}", ALICE);

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(server.get("/v1/sessions/refused-session", ALICE).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void otherFormatsAnswerTheRefusalInTheirOwnErrorShapeWithRetryAfter() {
        try (TestServer server = server(b -> b.maxRunsPerUser(1))) {
            started(startBackground(server, ALICE));

            HttpResponse<String> refused = server.post("/v1/chat/completions",
                "{\"model\":\"assistant\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", ALICE);

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(TestServer.json(refused).get("error").get("type").asText()).isEqualTo("rate_limit_error");
        }
    }
}
