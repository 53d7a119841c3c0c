package dev.agentstream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class ServerEndpointsTest {

    @RegisterExtension
    static final TestServer server = TestServer.builder().shared();

    @Test
    void healthSaysOk() {
        assertThat(server.getJson("/health", 200).get("status").asText()).isEqualTo("ok");
    }

    @Test
    void metricsHaveRunStreamEventAndPersistenceFigures() {
        try (SseStream stream = server.run("{\"message\":\"story 3\"}")) {
            stream.rest();
        }

        HttpResponse<String> metrics = server.get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body()).contains(
            "agentstream_runs_total{agent=\"assistant\",outcome=\"started\"}",
            "agentstream_runs_total{agent=\"assistant\",outcome=\"completed\"}",
            "agentstream_runs_active",
            "agentstream_events_emitted_total{event=\"RunContent\"}",
            "agentstream_sse_streams_open",
            "agentstream_sse_events_written_total",
            "agentstream_store_record_seconds_total",
            "agentstream_store_commits_total",
            "agentstream_store_flush_latency_max_seconds",
            "jvm_memory_used_bytes");
    }

    @Test
    void metricsShowTheConnectionPoolIdleOnceRunsEnded() {
        try (SseStream stream = server.run("{\"message\":\"story 3\"}")) {
            stream.rest();
        }

        // The writer commits the run's end after the stream's last event: wait for its connection back.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(server.get("/metrics").body()).contains("hikaricp_connections_active{pool=\"agentstream-store\"} 0.0"));
        String metrics = server.get("/metrics").body();
        assertThat(metrics).contains(
            "hikaricp_connections_pending{pool=\"agentstream-store\"} 0.0",
            "hikaricp_connections_max{pool=\"agentstream-store\"} 4.0",
            "hikaricp_connections_usage_seconds_count{pool=\"agentstream-store\"}",
            "hikaricp_connections_timeout_total{pool=\"agentstream-store\"} 0.0");
    }

    @Test
    void thePageIsServedAtTheRoot() {
        HttpResponse<String> page = server.get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\"></script>", "href=\"openapi.json\"");
    }

    @Test
    void theOpenApiDocumentIsJson() {
        HttpResponse<String> doc = server.get("/openapi.json");

        assertThat(doc.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(TestServer.json(doc).get("openapi").asText()).startsWith("3.");
    }

    @Test
    void theServerVersionIsNotAnnounced() {
        assertThat(server.get("/health").headers().firstValue("Server")).isEmpty();
    }
}
