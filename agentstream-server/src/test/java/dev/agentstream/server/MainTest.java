package dev.agentstream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ScriptedOpenAiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What {@code java -jar agentstream.jar} starts, configured as the environment says. */
@Timeout(30)
class MainTest {

    @TempDir
    Path folder;

    @Test
    void theEnvironmentConfiguresAServerThatServesTheAssistantOnTheDemoModel() throws Exception {
        Path db = folder.resolve("main.db");
        try (Main.Running running = Main.start(Map.of(
            "AGENTSTREAM_PORT", "0",
            "AGENTSTREAM_DB", "jdbc:sqlite:" + db,
            "AGENTSTREAM_DEMO_DELAY_MS", "0",
            "AGENTSTREAM_API_KEYS", "alice:secret-a"));
             HttpClient http = HttpClient.newHttpClient()) {
            URI base = running.server().baseUri();
            assertThat(base.getHost()).isEqualTo("127.0.0.1");

            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/v1/agents/assistant/runs"))
                .header("Authorization", "Bearer secret-a")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"calculate 6*7\",\"stream\":false}"))
                .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode run = new ObjectMapper().readTree(response.body());
            assertThat(run.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(run.get("content").asText()).contains("42");
            assertThat(Files.exists(db)).isTrue();
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(base.resolve("/v1/agents")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            HttpResponse<String> agents = http.send(HttpRequest.newBuilder(base.resolve("/v1/agents"))
                .header("Authorization", "Bearer secret-a").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(new ObjectMapper().readTree(agents.body()).get("agents").findValuesAsText("agent_id"))
                .containsExactly("assistant", "demo-team");
            HttpResponse<String> team = http.send(HttpRequest.newBuilder(base.resolve("/v1/agents/demo-team/runs"))
                .header("Authorization", "Bearer secret-a")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"story 3\",\"stream\":false}"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(new ObjectMapper().readTree(team.body()).get("status").asText()).isEqualTo("COMPLETED");
        }
    }

    @Test
    void anOpenAiModelTalksToTheServerAtOpenAiBaseUrl() throws Exception {
        try (ScriptedOpenAiServer upstream = ScriptedOpenAiServer.start();
             Main.Running running = Main.start(Map.of(
                 "AGENTSTREAM_PORT", "0",
                 "AGENTSTREAM_DB", "jdbc:sqlite:" + folder.resolve("openai.db"),
                 "AGENTSTREAM_MODEL", "openai:gpt-test",
                 "OPENAI_BASE_URL", upstream.baseUrl()));
             HttpClient http = HttpClient.newHttpClient()) {
            upstream.enqueue(Script.text("Hello", " from", " upstream"));

            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    running.server().baseUri().resolve("/v1/agents/assistant/runs"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hi\",\"stream\":false}"))
                .build(), HttpResponse.BodyHandlers.ofString());

            JsonNode run = new ObjectMapper().readTree(response.body());
            assertThat(run.get("content").asText()).isEqualTo("Hello from upstream");
            assertThat(upstream.requests().getFirst().body().get("model").asText()).isEqualTo("gpt-test");
            assertThat(upstream.requests().getFirst().tools()).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "http://127.0.0.1:1/v1, could not connect to the model at 127.0.0.1:1: connection refused",
        "http://no-such-model-host.invalid:8080/v1, could not connect to the model at no-such-model-host.invalid:8080: unknown host"})
    void aModelThatCannotBeReachedEndsTheRunWithAnErrorThatSaysWhereAndWhy(String baseUrl, String error) throws Exception {
        try (Main.Running running = Main.start(Map.of(
                 "AGENTSTREAM_PORT", "0",
                 "AGENTSTREAM_DB", "jdbc:sqlite:" + folder.resolve("unreachable.db"),
                 "AGENTSTREAM_MODEL", "openai:gpt-test",
                 "AGENTSTREAM_UPSTREAM_CONNECT_TIMEOUT", "2s",
                 "OPENAI_BASE_URL", baseUrl));
             HttpClient http = HttpClient.newHttpClient()) {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    running.server().baseUri().resolve("/v1/agents/assistant/runs"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hi\",\"stream\":false}"))
                .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            JsonNode run = new ObjectMapper().readTree(response.body());
            assertThat(run.get("status").asText()).isEqualTo("ERROR");
            assertThat(run.get("error").asText()).isEqualTo(error);
            assertThat(running.storage().store().findRun(run.get("run_id").asText()).orElseThrow().error()).isEqualTo(error);
        }
    }

    @Test
    void aPostgresqlUrlStoresInPostgresql() throws Exception {
        String postgres = System.getProperty("agentstream.test.postgres",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=3");
        requirePostgres(postgres);
        String schema = "as_server_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Main.Running running = Main.start(Map.of(
            "AGENTSTREAM_PORT", "0",
            "AGENTSTREAM_DB", postgres + "&currentSchema=" + schema,
            "AGENTSTREAM_DEMO_DELAY_MS", "0"));
             HttpClient http = HttpClient.newHttpClient()) {
            URI base = running.server().baseUri();

            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/v1/agents/assistant/runs"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"story 4\",\"stream\":false}"))
                .build(), HttpResponse.BodyHandlers.ofString());

            JsonNode run = new ObjectMapper().readTree(response.body());
            assertThat(run.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(running.storage().store().findRun(run.get("run_id").asText())).isPresent();
        } finally {
            try (Connection c = DriverManager.getConnection(postgres); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /** Skips the test without PostgreSQL, except in CI ({@code CI=true}), where it must run. */
    private static void requirePostgres(String url) {
        try (Connection c = DriverManager.getConnection(url)) {
            return;
        } catch (SQLException e) {
            String message = "PostgreSQL at " + url + " is not reachable (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message + "; in CI the PostgreSQL tests must run");
            }
            Assumptions.abort(message + "; skipping");
        }
    }

    @Test
    void aWrongVariableStopsTheStartWithItsName() {
        assertThatThrownBy(() -> Main.start(Map.of("AGENTSTREAM_MODEL", "llama")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("AGENTSTREAM_MODEL: llama");
        assertThatThrownBy(() -> Main.start(Map.of("AGENTSTREAM_MODEL", "openai:gpt-4o-mini")))
            .hasMessageContaining("OPENAI_API_KEY");
    }

    @Test
    void aShortRunRetentionLeavesEndedRunsToTheStoreSoon() throws Exception {
        try (Main.Running running = Main.start(Map.of(
                "AGENTSTREAM_PORT", "0",
                "AGENTSTREAM_DB", "jdbc:sqlite:" + folder.resolve("retention.db"),
                "AGENTSTREAM_DEMO_DELAY_MS", "0",
                "AGENTSTREAM_RUN_RETENTION", "1s"));
             HttpClient http = HttpClient.newHttpClient()) {
            URI base = running.server().baseUri();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/v1/agents/assistant/runs"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"story 3\",\"stream\":false}"))
                .build(), HttpResponse.BodyHandlers.ofString());
            String runId = new ObjectMapper().readTree(response.body()).get("run_id").asText();

            // By default an ended run's events stay in memory for 10 s; with a 1 s retention they are
            // replayed from the store within a couple of seconds.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                HttpResponse<String> events = http.send(HttpRequest.newBuilder(base.resolve("/v1/runs/" + runId + "/events"))
                    .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(events.body()).contains("event: RunStarted", "event: RunCompleted");
                String metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).containsPattern("agentstream_store_events_replayed_total [1-9]");
            });
        }
    }

    @Test
    void aRunRetentionWithoutUnitStopsTheStart() {
        assertThatThrownBy(() -> Main.start(Map.of("AGENTSTREAM_RUN_RETENTION", "600")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("AGENTSTREAM_RUN_RETENTION: 600");
    }
}
