package dev.agentstream.server.wire.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class AuthTest {

    static final String[] ALICE = {"Authorization", "Bearer key-alice"};
    static final String[] BOB = {"Authorization", "Bearer key-bob"};

    @RegisterExtension
    static final TestServer server = TestServer.builder().apiKeys("alice:key-alice,bob:key-bob").shared();
    static String aliceRunId;
    static String aliceSessionId;
    static String alicePausedRunId;

    @BeforeAll
    static void start() {
        JsonNode run = TestServer.json(server.post("/v1/agents/assistant/runs", "{\"message\":\"story 3\",\"stream\":false}", ALICE));
        aliceRunId = run.get("run_id").asText();
        aliceSessionId = run.get("session_id").asText();
        JsonNode paused = TestServer.json(server.post("/v1/agents/assistant/runs",
            "{\"message\":\"email bob@example.com hi\",\"stream\":false}", ALICE));
        alicePausedRunId = paused.get("run_id").asText();
    }

    /** Every /v1 route with a method and a body (null for none), on alice's ids. */
    static List<String[]> routes() {
        return List.of(
            new String[] {"GET", "/v1/agents", null},
            new String[] {"POST", "/v1/agents/assistant/runs", "{\"message\":\"x\",\"session_id\":\"" + aliceSessionId + "\"}"},
            new String[] {"GET", "/v1/runs/" + aliceRunId, null},
            new String[] {"GET", "/v1/runs/" + aliceRunId + "/events", null},
            new String[] {"POST", "/v1/runs/" + alicePausedRunId + "/cancel", ""},
            new String[] {"POST", "/v1/runs/" + alicePausedRunId + "/continue", "{\"tools\":[]}"},
            new String[] {"GET", "/v1/sessions", null},
            new String[] {"GET", "/v1/sessions/" + aliceSessionId, null},
            new String[] {"GET", "/v1/sessions/" + aliceSessionId + "/messages", null},
            new String[] {"GET", "/v1/sessions/" + aliceSessionId + "/runs", null},
            new String[] {"DELETE", "/v1/sessions/" + aliceSessionId, null});
    }

    private static HttpResponse<String> call(String[] route, String... headers) {
        HttpRequest.Builder request = server.request(route[1], headers);
        HttpRequest.BodyPublisher body = route[2] == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(route[2]);
        return server.send(request.method(route[0], body).header("Content-Type", "application/json").build());
    }

    @Test
    void everyV1RouteAnswers401WithoutAKey() {
        for (String[] route : routes()) {
            HttpResponse<String> response = call(route);

            assertThat(response.statusCode()).as(route[0] + " " + route[1]).isEqualTo(401);
            assertThat(TestServer.json(response).get("error").get("code").asText()).isEqualTo("unauthorized");
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        }
    }

    @Test
    void everyV1RouteAnswers401WithAWrongKey() {
        for (String[] route : routes()) {
            assertThat(call(route, "Authorization", "Bearer key-mallory").statusCode()).as(route[0] + " " + route[1])
                .isEqualTo(401);
            assertThat(call(route, "Authorization", "Basic a2V5LWFsaWNl").statusCode()).as(route[0] + " " + route[1])
                .isEqualTo(401);
        }
    }

    @Test
    void anotherUsersRunsAndSessionsAnswer404OnEveryRoute() {
        for (String[] route : routes()) {
            if (route[1].equals("/v1/agents") || route[1].equals("/v1/sessions")) {
                continue;
            }
            HttpResponse<String> response = call(route, BOB);

            assertThat(response.statusCode()).as(route[0] + " " + route[1] + ": " + response.body()).isEqualTo(404);
        }
        assertThat(server.getJson("/v1/runs/" + alicePausedRunId, 200, ALICE).get("status").asText()).isEqualTo("PAUSED");
        assertThat(server.getJson("/v1/sessions/" + aliceSessionId, 200, ALICE).get("session_id").asText())
            .isEqualTo(aliceSessionId);
    }

    @Test
    void aUserListsOnlyTheirOwnSessions() {
        JsonNode bobs = server.getJson("/v1/sessions", 200, BOB).get("sessions");
        JsonNode alices = server.getJson("/v1/sessions", 200, ALICE).get("sessions");

        assertThat(bobs).isEmpty();
        assertThat(alices).isNotEmpty();
        alices.forEach(s -> assertThat(s.has("session_id")).isTrue());
    }

    @Test
    void theOwnerCanDoWhatOthersCannot() {
        try (SseStream events = server.getStream("/v1/runs/" + aliceRunId + "/events", ALICE)) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(SseStream.names(events.rest()).getLast()).isEqualTo("RunCompleted");
        }
    }

    @Test
    void healthMetricsOpenApiAndThePageNeedNoKey() {
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
        assertThat(server.get("/metrics").statusCode()).isEqualTo(200);
        assertThat(server.get("/openapi.json").statusCode()).isEqualTo(200);
        assertThat(server.get("/").statusCode()).isEqualTo(200);
    }
}
