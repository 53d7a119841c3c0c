package dev.agentstream.server.wire.v1;

import static dev.agentstream.server.testing.SseStream.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class IdempotencyTest {

    @RegisterExtension
    static final TestServer server = TestServer.builder().shared();

    @Test
    void aRetryWithTheSameKeyReturnsTheSameRunAndStartsNoSecond() {
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = server.post("/v1/agents/assistant/runs", "{\"message\":\"story 3\",\"background\":true}",
            "Idempotency-Key", key);
        HttpResponse<String> retry = server.post("/v1/agents/assistant/runs", "{\"message\":\"story 3\",\"background\":true}",
            "Idempotency-Key", key);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(retry.statusCode()).isEqualTo(202);
        JsonNode run = TestServer.json(first);
        assertThat(TestServer.json(retry).get("run_id").asText()).isEqualTo(run.get("run_id").asText());
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
        String sessionId = run.get("session_id").asText();
        try (SseStream events = server.getStream("/v1/runs/" + run.get("run_id").asText() + "/events")) {
            events.rest();
        }
        assertThat(server.getJson("/v1/sessions/" + sessionId + "/runs", 200).get("runs")).hasSize(1);
    }

    @Test
    void concurrentRetriesWithOneKeyAllGetTheOneRun() throws Exception {
        String key = UUID.randomUUID().toString();
        List<java.util.concurrent.Future<HttpResponse<String>>> answers = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 6; i++) {
                answers.add(pool.submit(() -> server.post("/v1/agents/assistant/runs",
                    "{\"message\":\"story 3\",\"background\":true}", "Idempotency-Key", key)));
            }
        }
        java.util.Set<String> runIds = new java.util.HashSet<>();
        for (var answer : answers) {
            HttpResponse<String> response = answer.get();
            assertThat(response.statusCode()).isEqualTo(202);
            runIds.add(TestServer.json(response).get("run_id").asText());
        }

        assertThat(runIds).hasSize(1);
    }

    @Test
    void aStreamedRetryReplaysTheSameRunsEvents() {
        String key = UUID.randomUUID().toString();
        List<SseStream.Frame> original;
        try (SseStream stream = server.run("{\"message\":\"story 4\"}", "Idempotency-Key", key)) {
            original = stream.rest();
        }
        try (SseStream retry = server.run("{\"message\":\"story 4\"}", "Idempotency-Key", key)) {
            List<SseStream.Frame> replayed = retry.rest();

            assertThat(replayed).isEqualTo(original);
        }
    }

    @Test
    void anAwaitedRetryAnswersWithTheFinishedRun() {
        String key = UUID.randomUUID().toString();
        JsonNode first = TestServer.json(server.post("/v1/agents/assistant/runs", "{\"message\":\"story 2\",\"stream\":false}",
            "Idempotency-Key", key));
        JsonNode retry = TestServer.json(server.post("/v1/agents/assistant/runs", "{\"message\":\"story 2\",\"stream\":false}",
            "Idempotency-Key", key));

        assertThat(retry.get("run_id").asText()).isEqualTo(first.get("run_id").asText());
        assertThat(retry.get("content").asText()).isEqualTo(first.get("content").asText());
    }

    @Test
    void keysAreScopedToTheirUser() {
        try (TestServer keyed = TestServer.builder().apiKeys("alice:ka,bob:kb").start()) {
            String key = UUID.randomUUID().toString();
            JsonNode alice = TestServer.json(keyed.post("/v1/agents/assistant/runs", "{\"message\":\"hi\",\"stream\":false}",
                "Authorization", "Bearer ka", "Idempotency-Key", key));
            JsonNode bob = TestServer.json(keyed.post("/v1/agents/assistant/runs", "{\"message\":\"hi\",\"stream\":false}",
                "Authorization", "Bearer kb", "Idempotency-Key", key));

            assertThat(bob.get("run_id").asText()).isNotEqualTo(alice.get("run_id").asText());
        }
    }

    @Test
    void aRetryAfterARefusedFirstAttemptStartsTheRunThen() {
        String sessionId = "idem-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        try (SseStream busy = server.run("{\"message\":\"story 500\",\"session_id\":\"" + sessionId + "\"}")) {
            busy.until("RunContent");
            HttpResponse<String> refused = server.post("/v1/agents/assistant/runs",
                "{\"message\":\"hi\",\"stream\":false,\"session_id\":\"" + sessionId + "\"}", "Idempotency-Key", key);
            assertThat(refused.statusCode()).isEqualTo(409);
            server.post("/v1/runs/" + busy.until("RunContent").getFirst().json().get("run_id").asText() + "/cancel", "");
            assertThat(names(busy.rest()).getLast()).isEqualTo("RunCancelled");
        }

        HttpResponse<String> retry = server.post("/v1/agents/assistant/runs",
            "{\"message\":\"hi\",\"stream\":false,\"session_id\":\"" + sessionId + "\"}", "Idempotency-Key", key);

        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(TestServer.json(retry).get("status").asText()).isEqualTo("COMPLETED");
    }
}
