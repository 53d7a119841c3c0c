package dev.agentstream.server.wire.v1;

import static dev.agentstream.server.testing.SseStream.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class MultitaskTest {

    @RegisterExtension
    static final TestServer server = TestServer.builder().wordDelay(Duration.ofMillis(10)).shared();

    /** Starts a long run and returns its stream, positioned after its first content. */
    private static SseStream longRun(String sessionId) {
        SseStream stream = server.run("{\"message\":\"story 300\",\"session_id\":\"" + sessionId + "\"}");
        stream.until("RunContent");
        return stream;
    }

    private static String session() {
        return "s-" + java.util.UUID.randomUUID();
    }

    @Test
    void rejectIsTheDefaultAndAnswers409WhileARunIsGoing() {
        String sessionId = session();
        try (SseStream first = longRun(sessionId)) {
            HttpResponse<String> second = server.post("/v1/agents/assistant/runs",
                "{\"message\":\"hi\",\"session_id\":\"" + sessionId + "\"}");

            assertThat(second.statusCode()).isEqualTo(409);
            JsonNode error = TestServer.json(second).get("error");
            assertThat(error.get("code").asText()).isEqualTo("session_busy");
            first.close();
        }
    }

    @Test
    void aNewRunIsAcceptedAsSoonAsTheClientSawTheLastOneEnd() {
        String sessionId = session();
        for (int i = 0; i < 5; i++) {
            try (SseStream stream = server.run("{\"message\":\"story 2\",\"session_id\":\"" + sessionId + "\"}")) {
                assertThat(stream.status()).isEqualTo(200);
                assertThat(names(stream.rest()).getLast()).isEqualTo("RunCompleted");
            }
        }
    }

    @Test
    void enqueueStartsTheNewRunAfterTheRunningOneEnded() {
        String sessionId = session();
        String firstRunId;
        try (SseStream first = server.run("{\"message\":\"story 40\",\"session_id\":\"" + sessionId + "\"}")) {
            firstRunId = first.until("RunContent").getFirst().json().get("run_id").asText();
            try (SseStream second = server.run("{\"message\":\"story 3\",\"session_id\":\"" + sessionId
                + "\",\"multitask\":\"enqueue\"}")) {
                assertThat(second.status()).isEqualTo(200);

                List<SseStream.Frame> firstRest = first.rest();
                List<SseStream.Frame> secondFrames = second.rest();

                assertThat(names(firstRest).getLast()).isEqualTo("RunCompleted");
                assertThat(names(secondFrames).getFirst()).isEqualTo("RunStarted");
                assertThat(names(secondFrames).getLast()).isEqualTo("RunCompleted");
                long firstEnded = firstRest.getLast().json().get("created_at").asLong();
                assertThat(secondFrames.getFirst().json().get("created_at").asLong()).isGreaterThanOrEqualTo(firstEnded);
            }
        }
        JsonNode runs = server.getJson("/v1/sessions/" + sessionId + "/runs", 200).get("runs");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).get("run_id").asText()).isEqualTo(firstRunId);
        assertThat(runs.get(1).get("status").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void anEnqueuedRunWaitsAsPendingAndItsHistoryHoldsTheRunBefore() {
        String sessionId = session();
        try (SseStream first = longRun(sessionId)) {
            HttpResponse<String> queued = server.post("/v1/agents/assistant/runs", "{\"message\":\"after\",\"session_id\":\""
                + sessionId + "\",\"multitask\":\"enqueue\",\"background\":true}");

            assertThat(queued.statusCode()).isEqualTo(202);
            JsonNode accepted = TestServer.json(queued);
            assertThat(accepted.get("status").asText()).isEqualTo("PENDING");
            String queuedId = accepted.get("run_id").asText();
            assertThat(server.getJson("/v1/runs/" + queuedId, 200).get("status").asText()).isEqualTo("PENDING");
            String firstId = first.until("RunContent").getFirst().json().get("run_id").asText();
            server.post("/v1/runs/" + firstId + "/cancel", "");
            assertThat(names(first.rest()).getLast()).isEqualTo("RunCancelled");
            try (SseStream events = server.getStream("/v1/runs/" + queuedId + "/events")) {
                assertThat(names(events.rest()).getLast()).isEqualTo("RunCompleted");
            }
        }
        JsonNode messages = server.getJson("/v1/sessions/" + sessionId + "/messages", 200).get("messages");
        assertThat(messages.get(0).get("content").asText()).isEqualTo("story 300");
        assertThat(messages.get(2).get("content").asText()).isEqualTo("after");
    }

    @Test
    void interruptCancelsTheRunningRunThenStartsTheNewOne() {
        String sessionId = session();
        try (SseStream first = longRun(sessionId)) {
            try (SseStream second = server.run("{\"message\":\"story 3\",\"session_id\":\"" + sessionId
                + "\",\"multitask\":\"interrupt\"}")) {

                List<SseStream.Frame> firstRest = first.rest();
                List<SseStream.Frame> secondFrames = second.rest();

                assertThat(names(firstRest).getLast()).isEqualTo("RunCancelled");
                assertThat(firstRest.getLast().json().get("reason").asText()).isEqualTo("cancelled");
                assertThat(names(secondFrames).getLast()).isEqualTo("RunCompleted");
            }
        }
        JsonNode runs = server.getJson("/v1/sessions/" + sessionId + "/runs", 200).get("runs");
        assertThat(runs.get(0).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(runs.get(1).get("status").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void cancellingAnEnqueuedRunEndsItBeforeItRuns() {
        String sessionId = session();
        try (SseStream first = longRun(sessionId)) {
            String queuedId = TestServer.json(server.post("/v1/agents/assistant/runs", "{\"message\":\"later\",\"session_id\":\""
                + sessionId + "\",\"multitask\":\"enqueue\",\"background\":true}")).get("run_id").asText();

            HttpResponse<String> cancel = server.post("/v1/runs/" + queuedId + "/cancel", "");

            assertThat(cancel.statusCode()).isEqualTo(202);
            assertThat(TestServer.json(cancel).get("status").asText()).isEqualTo("CANCELLED");
            try (SseStream events = server.getStream("/v1/runs/" + queuedId + "/events")) {
                assertThat(names(events.rest())).containsExactly("RunStarted", "RunCancelled");
            }
            first.close();
        }
    }
}
