package dev.agentstream.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The webhook variables: durations written 500ms/2s/1m, a secret long enough and never shown. */
class WebhookConfigTest {

    static final String SECRET = "s".repeat(32);

    @Test
    void withoutASecretWebhooksAreOff() {
        assertThat(WebhookConfig.fromEnv(Map.of()).enabled()).isFalse();
        assertThat(WebhookConfig.fromEnv(Map.of(WebhookConfig.SECRET, "  ")).enabled()).isFalse();
    }

    @Test
    void durationsAndAttemptsAreRead() {
        WebhookConfig config = WebhookConfig.fromEnv(Map.of(WebhookConfig.SECRET, SECRET,
            "AGENTSTREAM_WEBHOOK_BACKOFF", "500ms", "AGENTSTREAM_WEBHOOK_BACKOFF_MAX", "1m",
            "AGENTSTREAM_WEBHOOK_TIMEOUT", "2s", "AGENTSTREAM_WEBHOOK_LEASE", "3s",
            "AGENTSTREAM_WEBHOOK_MAX_ATTEMPTS", "4"));

        assertThat(config.backoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.claimLease()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.maxAttempts()).isEqualTo(4);
        assertThat(config.toString()).doesNotContain(SECRET);
    }

    @Test
    void theBackoffDoublesUpToItsCap() {
        WebhookConfig config = WebhookConfig.defaults(SECRET).withRetries(10, Duration.ofSeconds(1), Duration.ofSeconds(5));

        assertThat(config.backoffAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.backoffAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.backoffAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.backoffAfter(4)).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.backoffAfter(60)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void wrongValuesNameTheVariableAndNeverTheSecret() {
        assertThatThrownBy(() -> WebhookConfig.fromEnv(Map.of(WebhookConfig.SECRET, "short-secret")))
            .hasMessageContaining(WebhookConfig.SECRET).hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> WebhookConfig.fromEnv(Map.of(WebhookConfig.SECRET, SECRET,
            "AGENTSTREAM_WEBHOOK_BACKOFF", "1500")))
            .hasMessageContaining("AGENTSTREAM_WEBHOOK_BACKOFF").hasMessageContaining("500ms, 2s or 1m");
        assertThatThrownBy(() -> WebhookConfig.fromEnv(Map.of(WebhookConfig.SECRET, SECRET,
            "AGENTSTREAM_WEBHOOK_MAX_ATTEMPTS", "0")))
            .hasMessageContaining("AGENTSTREAM_WEBHOOK_MAX_ATTEMPTS");
        assertThatThrownBy(() -> WebhookConfig.fromEnv(Map.of(WebhookConfig.SECRET, SECRET,
            "AGENTSTREAM_WEBHOOK_LEASE", "1s", "AGENTSTREAM_WEBHOOK_TIMEOUT", "2s")))
            .hasMessageContaining("AGENTSTREAM_WEBHOOK_LEASE").hasMessageContaining("AGENTSTREAM_WEBHOOK_TIMEOUT");
    }
}
