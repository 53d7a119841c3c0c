package dev.agentstream.server.wire.v1;

import static dev.agentstream.server.testing.SseStream.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.server.testing.Upstream;
import dev.agentstream.testkit.RecordedRequest;
import dev.agentstream.testkit.Script;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class CancelRunTest {

    static final Upstream upstream = new Upstream();
    @RegisterExtension
    static final TestServer server = TestServer.builder().agent(upstream.agent("scripted").build()).shared();

    @AfterAll
    static void stop() {
        upstream.close();
    }

    private static String[] words(int n) {
        String[] words = new String[n];
        for (int i = 0; i < n; i++) {
            words[i] = "w" + i + " ";
        }
        return words;
    }

    @Test
    void cancelMidStreamEndsEveryReaderWithRunCancelledClosesTheUpstreamAndStoresThePartialContent() {
        upstream.server.enqueue(Script.text(words(400)).chunkDelay(Duration.ofMillis(20)));
        try (SseStream stream = server.postStream("/v1/agents/scripted/runs", "{\"message\":\"go\"}")) {
            List<SseStream.Frame> head = stream.until("RunContent");
            String runId = head.getFirst().json().get("run_id").asText();
            head.addAll(stream.until("RunContent"));
            try (SseStream follower = server.getStream("/v1/runs/" + runId + "/events")) {
                follower.until("RunContent");

                HttpResponse<String> cancel = server.post("/v1/runs/" + runId + "/cancel", "");

                assertThat(cancel.statusCode()).isEqualTo(202);
                JsonNode answer = TestServer.json(cancel);
                assertThat(answer.get("run_id").asText()).isEqualTo(runId);
                assertThat(answer.get("status").asText()).isEqualTo("CANCELLED");
                List<SseStream.Frame> rest = stream.rest();
                assertThat(names(rest).getLast()).isEqualTo("RunCancelled");
                assertThat(stream.ended()).isTrue();
                assertThat(names(follower.rest()).getLast()).isEqualTo("RunCancelled");
                assertThat(follower.ended()).isTrue();

                String partial = rest.getLast().json().get("content").asText();
                assertThat(partial).startsWith("w0 w1 ");
                assertThat(partial.split(" ")).hasSizeLessThan(400);
                RecordedRequest request = upstream.server.awaitRequest(upstream.server.requests().size() - 1,
                    Duration.ofSeconds(5));
                assertThat(request.awaitClientClosed(Duration.ofSeconds(5))).isTrue();
                JsonNode stored = server.getJson("/v1/runs/" + runId, 200);
                assertThat(stored.get("status").asText()).isEqualTo("CANCELLED");
                assertThat(stored.get("content").asText()).isEqualTo(partial);
                assertThat(stored.get("cancel_reason").asText()).isEqualTo("cancelled");
            }
        }
    }

    @Test
    void cancelIsIdempotent() {
        upstream.server.enqueue(Script.text(words(400)).chunkDelay(Duration.ofMillis(20)));
        try (SseStream stream = server.postStream("/v1/agents/scripted/runs", "{\"message\":\"go\"}")) {
            String runId = stream.until("RunContent").getFirst().json().get("run_id").asText();

            HttpResponse<String> first = server.post("/v1/runs/" + runId + "/cancel", "");
            HttpResponse<String> second = server.post("/v1/runs/" + runId + "/cancel", "");

            assertThat(first.statusCode()).isEqualTo(202);
            assertThat(second.statusCode()).isEqualTo(202);
            assertThat(TestServer.json(second).get("status").asText()).isEqualTo("CANCELLED");
            assertThat(names(stream.rest()).stream().filter("RunCancelled"::equals)).hasSize(1);
        }
    }

    @Test
    void cancellingACompletedRunIsAConflict() {
        HttpResponse<String> done = server.post("/v1/agents/assistant/runs", "{\"message\":\"story 2\",\"stream\":false}");
        String runId = TestServer.json(done).get("run_id").asText();

        HttpResponse<String> cancel = server.post("/v1/runs/" + runId + "/cancel", "");

        assertThat(cancel.statusCode()).isEqualTo(409);
        assertThat(TestServer.json(cancel).get("error").get("code").asText()).isEqualTo("run_ended");
    }

    @Test
    void cancellingAPausedRunEndsIt() {
        String runId;
        try (SseStream stream = server.run("{\"message\":\"email bob@example.com hello\"}")) {
            List<SseStream.Frame> frames = stream.rest();
            assertThat(names(frames).getLast()).isEqualTo("RunPaused");
            runId = frames.getFirst().json().get("run_id").asText();
        }

        HttpResponse<String> cancel = server.post("/v1/runs/" + runId + "/cancel", "");

        assertThat(cancel.statusCode()).isEqualTo(202);
        assertThat(TestServer.json(cancel).get("status").asText()).isEqualTo("CANCELLED");
        try (SseStream events = server.getStream("/v1/runs/" + runId + "/events")) {
            assertThat(names(events.rest()).getLast()).isEqualTo("RunCancelled");
        }
    }
}
