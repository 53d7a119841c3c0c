package dev.agentstream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.server.testing.NodeProcess;
import dev.agentstream.server.testing.SharedServices;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM to a real server process ({@code dev.agentstream.server.Main}, its shutdown hook) over
 * PostgreSQL: new runs get 503 at once, a run that ends within AGENTSTREAM_SHUTDOWN_GRACE ends as
 * usual, a longer one is stopped with reason {@code shutdown}; both readers get their terminal
 * event before the process exits, both runs are stored as ended, and another node serves their
 * stored events right away.
 */
@Timeout(120)
class GracefulShutdownTest {

    private static final String JSON = "application/json";

    @Test
    void sigtermLetsShortRunsFinishStopsLongOnesWithReasonShutdownAndEveryReaderGetsItsEnd() throws Exception {
        try (SharedServices postgres = SharedServices.requirePostgres();
             NodeProcess node = NodeProcess.start("sigterm", Map.of(
                 "AGENTSTREAM_DB", postgres.jdbcUrl(),
                 "AGENTSTREAM_NODE_ID", "node-sigterm",
                 "AGENTSTREAM_DEMO_DELAY_MS", "20",
                 "AGENTSTREAM_SHUTDOWN_GRACE", "4s"));
             SseStream shortRun = node.stream("POST", "/v1/agents/assistant/runs", "{\"message\":\"story 100\"}",
                 "Content-Type", JSON);
             SseStream longRun = node.stream("POST", "/v1/agents/assistant/runs", "{\"message\":\"story 3000\"}",
                 "Content-Type", JSON)) {
            List<SseStream.Frame> shortFrames = new ArrayList<>(shortRun.until("RunContent"));
            List<SseStream.Frame> longFrames = new ArrayList<>(longRun.until("RunContent"));
            String shortId = shortFrames.getFirst().json().get("run_id").asText();
            String longId = longFrames.getFirst().json().get("run_id").asText();

            node.terminate();

            await().atMost(Duration.ofSeconds(3)).until(() -> node.get("/health").statusCode() == 503);
            assertThat(NodeProcess.json(node.get("/health")).get("status").asText()).isEqualTo("draining");
            HttpResponse<String> refused = node.post("/v1/agents/assistant/runs", "{\"message\":\"hi\"}");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(NodeProcess.json(refused).at("/error/code").asText()).isEqualTo("shutting_down");
            shortFrames.addAll(shortRun.rest());
            longFrames.addAll(longRun.rest());
            node.awaitExit(Duration.ofSeconds(30));

            assertThat(SseStream.names(shortFrames)).endsWith("RunCompleted");
            assertThat(SseStream.names(longFrames)).endsWith("RunCancelled");
            assertThat(longFrames.getLast().json().get("reason").asText()).isEqualTo("shutdown");
            assertThat(postgres.storedStatus(shortId)).isEqualTo("COMPLETED");
            assertThat(postgres.storedStatus(longId)).isEqualTo("INTERRUPTED");
            assertThat(node.log()).contains("shutting down: new runs get 503", "shutdown grace over");

            try (TestServer other = TestServer.builder()
                .storage(o -> o.jdbcUrl(postgres.jdbcUrl()).nodeId("node-other"))
                .start();
                 SseStream replay = other.getStream("/v1/runs/" + longId + "/events")) {
                List<SseStream.Frame> stored = replay.rest();
                assertThat(stored).extracting(SseStream.Frame::seq)
                    .containsExactlyElementsOf(longFrames.stream().map(SseStream.Frame::seq).toList());
                assertThat(stored.getLast().json().get("reason").asText()).isEqualTo("shutdown");
            }
        }
    }
}
