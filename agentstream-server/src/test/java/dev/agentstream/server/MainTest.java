package dev.agentstream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
}
