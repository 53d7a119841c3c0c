package dev.agentstream.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentstream.server.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A start naming a webhook it cannot have gets a 4xx JSON error, and nothing starts. */
class WebhookInputTest {

    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .customize(b -> b.webhooks(WebhookConfig.defaults(WebhookDeliveryTest.SECRET))).shared();

    @RegisterExtension
    static final TestServer withoutSecret = TestServer.builder().shared();

    static JsonNode refused(TestServer on, String path, String body, int status) {
        HttpResponse<String> response = on.post(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
        return TestServer.json(response);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url", "/relative/path", "ftp://example.com/hook", "file:///etc/passwd",
        "http:///no-host", "https://user:pw@example.com/hook", "javascript:alert(1)"})
    void aWebhookThatIsNotAnAbsoluteHttpUrlIs422(String url) {
        JsonNode error = refused(server, "/v1/agents/assistant/runs",
            "{\"message\":\"hi\",\"background\":true,\"webhook\":" + quoted(url) + "}", 422);

        assertThat(error.toString()).contains("webhook");
        assertThat(error.toString()).doesNotContain("pw@");
    }

    @Test
    void aWebhookThatIsNotAStringIs4xx() {
        HttpResponse<String> response = server.post("/v1/agents/assistant/runs",
            "{\"message\":\"hi\",\"background\":true,\"webhook\":42}");

        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(response.body()).contains("webhook");
    }

    @Test
    void aWebhookWithoutBackgroundIs422() {
        JsonNode error = refused(server, "/v1/agents/assistant/runs",
            "{\"message\":\"hi\",\"webhook\":\"http://127.0.0.1:9/hook\"}", 422);

        assertThat(error.toString()).contains("background: true");
    }

    @Test
    void aServerWithoutASecretRefusesWebhooksWith400AndStartsNothing() {
        int before = withoutSecret.server().runtime().activeRunIds().size();

        JsonNode error = refused(withoutSecret, "/v1/agents/assistant/runs",
            "{\"message\":\"hi\",\"background\":true,\"webhook\":\"http://127.0.0.1:9/hook\"}", 400);

        assertThat(error.toString()).contains("webhooks_disabled").contains("AGENTSTREAM_WEBHOOK_SECRET");
        assertThat(withoutSecret.server().runtime().activeRunIds()).hasSize(before);
    }

    private static String quoted(String text) {
        return new ObjectMapper().valueToTree(text).toString();
    }
}
