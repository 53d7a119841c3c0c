package dev.agentstream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstream.server.auth.Caller;
import dev.agentstream.server.testing.Tokens;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    @Test
    void defaultsAreLoopbackPort7777SqliteAndTheDemoModel() {
        ServerConfig config = ServerConfig.fromEnv(Map.of());

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(7777);
        assertThat(config.jdbcUrl()).isEqualTo("jdbc:sqlite:./agentstream.db");
        assertThat(config.model()).isEqualTo("demo");
        assertThat(config.demoDelay()).isEqualTo(Duration.ofMillis(30));
        assertThat(config.flushInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.apiKeys().enabled()).isFalse();
    }

    @Test
    void everyVariableIsRead() {
        ServerConfig config = ServerConfig.fromEnv(Map.of(
            "AGENTSTREAM_HOST", "0.0.0.0",
            "AGENTSTREAM_PORT", "8080",
            "AGENTSTREAM_DB", "jdbc:postgresql://localhost/agents",
            "AGENTSTREAM_MODEL", "openai:gpt-4o-mini",
            "AGENTSTREAM_DEMO_DELAY_MS", "0",
            "AGENTSTREAM_API_KEYS", "alice:k1",
            "AGENTSTREAM_FLUSH_MS", "50",
            "OPENAI_API_KEY", "sk-test",
            "OPENAI_BASE_URL", "http://127.0.0.1:11434/v1"));

        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/agents");
        assertThat(config.model()).isEqualTo("openai:gpt-4o-mini");
        assertThat(config.demoDelay()).isZero();
        assertThat(config.apiKeys().lookup("k1")).contains(new Caller("alice"));
        assertThat(config.flushInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.openAiApiKey()).isEqualTo("sk-test");
        assertThat(config.openAiBaseUrl()).isEqualTo("http://127.0.0.1:11434/v1");
    }

    @Test
    void httpLimitsDefaultAndAreReadWithDurationsAsPeopleWriteThem() {
        assertThat(ServerConfig.fromEnv(Map.of()).httpLimits()).isEqualTo(dev.agentstream.server.http.HttpLimits.DEFAULT);
        ServerConfig config = ServerConfig.fromEnv(Map.of(
            "AGENTSTREAM_MAX_BODY_BYTES", "65536",
            "AGENTSTREAM_MAX_HEADER_BYTES", "16384",
            "AGENTSTREAM_IDLE_TIMEOUT", "1m",
            "AGENTSTREAM_READ_TIMEOUT", "500ms"));

        assertThat(config.httpLimits()).isEqualTo(new dev.agentstream.server.http.HttpLimits(65536, 16384,
            Duration.ofMinutes(1), Duration.ofMillis(500)));
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_READ_TIMEOUT", "5 seconds")))
            .hasMessageStartingWith("AGENTSTREAM_READ_TIMEOUT: 5 seconds (expected: a duration from 100ms to 10m, like 500ms, 2s or 1m");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_IDLE_TIMEOUT", "2s")))
            .as("no longer than the SSE heartbeat").hasMessageContaining("from 16s to 1h");
    }

    @Test
    void corsOriginsDefaultToTheLocalFrontEndPortsAndAreReadFromTheirVariable() {
        assertThat(ServerConfig.fromEnv(Map.of()).corsOrigins())
            .containsExactly("http://localhost:3000", "http://127.0.0.1:3000");
        assertThat(ServerConfig.fromEnv(Map.of("AGENTSTREAM_CORS_ORIGINS", "https://ui.example.com, http://localhost:5173"))
            .corsOrigins()).containsExactly("https://ui.example.com", "http://localhost:5173");
        assertThat(ServerConfig.fromEnv(Map.of("AGENTSTREAM_CORS_ORIGINS", "")).corsOrigins()).isEmpty();
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_CORS_ORIGINS", "ui.example.com")))
            .hasMessageStartingWith("AGENTSTREAM_CORS_ORIGINS: ");
    }

    @Test
    void runCapsDefaultTo1000PerNodeAnd20PerUserAndAreReadFromTheirVariables() {
        ServerConfig defaults = ServerConfig.fromEnv(Map.of());
        assertThat(defaults.maxActiveRuns()).isEqualTo(1000);
        assertThat(defaults.maxRunsPerUser()).isEqualTo(20);

        ServerConfig set = ServerConfig.fromEnv(Map.of("AGENTSTREAM_MAX_ACTIVE_RUNS", "50",
            "AGENTSTREAM_MAX_RUNS_PER_USER", "3"));
        assertThat(set.maxActiveRuns()).isEqualTo(50);
        assertThat(set.maxRunsPerUser()).isEqualTo(3);
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_MAX_RUNS_PER_USER", "0")))
            .hasMessage("AGENTSTREAM_MAX_RUNS_PER_USER: 0 (expected: 1 to 1000000)");
    }

    @Test
    void outageTimingsDefaultTo30s30sAnd20sAndAreReadAsDurations() {
        ServerConfig defaults = ServerConfig.fromEnv(Map.of());
        assertThat(defaults.persistGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.sseWriteTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.shutdownGrace()).isEqualTo(Duration.ofSeconds(20));

        ServerConfig set = ServerConfig.fromEnv(Map.of("AGENTSTREAM_PERSIST_GRACE", "2s",
            "AGENTSTREAM_SSE_WRITE_TIMEOUT", "500ms", "AGENTSTREAM_SHUTDOWN_GRACE", "1m"));
        assertThat(set.persistGrace()).isEqualTo(Duration.ofSeconds(2));
        assertThat(set.sseWriteTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(set.shutdownGrace()).isEqualTo(Duration.ofMinutes(1));
        assertThat(set.toString()).contains("persistGrace=2s", "sseWriteTimeout=500ms", "shutdownGrace=1m");
        assertThat(ServerConfig.fromEnv(Map.of("AGENTSTREAM_SHUTDOWN_GRACE", "0s")).shutdownGrace()).isZero();
        // The pool's connection wait fits in the grace, so an outage is noticed within it.
        assertThat(Main.connectionTimeout(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(1));
        assertThat(Main.connectionTimeout(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aDurationWithoutItsUnitOrOutOfRangeIsNamed() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_PERSIST_GRACE", "30")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("AGENTSTREAM_PERSIST_GRACE: 30 (expected: a duration from 100ms to 24h, like 500ms, 2s or 1m)");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_SSE_WRITE_TIMEOUT", "0s")))
            .hasMessageStartingWith("AGENTSTREAM_SSE_WRITE_TIMEOUT: 0s (expected: a duration from 100ms to 1h");
    }

    @Test
    void upstreamRetriesAndTimeoutsHaveDefaultsAndAreReadAsDurations() {
        assertThat(ServerConfig.fromEnv(Map.of()).upstream()).isEqualTo(new UpstreamSettings(2, Duration.ofSeconds(10),
            Duration.ofSeconds(60), Duration.ofSeconds(60)));

        ServerConfig set = ServerConfig.fromEnv(Map.of("AGENTSTREAM_UPSTREAM_RETRIES", "0",
            "AGENTSTREAM_UPSTREAM_CONNECT_TIMEOUT", "500ms", "AGENTSTREAM_UPSTREAM_IDLE_TIMEOUT", "1s",
            "AGENTSTREAM_TOOL_TIMEOUT", "2m"));
        assertThat(set.upstream()).isEqualTo(new UpstreamSettings(0, Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMinutes(2)));
        assertThat(set.toString()).contains("upstreamRetries=0, upstreamConnectTimeout=500ms, upstreamIdleTimeout=1s,"
            + " toolTimeout=2m");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_UPSTREAM_IDLE_TIMEOUT", "60")))
            .hasMessage("AGENTSTREAM_UPSTREAM_IDLE_TIMEOUT: 60 (expected: a duration from 100ms to 24h, like 500ms, 2s or 1m)");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_UPSTREAM_RETRIES", "-1")))
            .hasMessage("AGENTSTREAM_UPSTREAM_RETRIES: -1 (expected: 0 to 10)");
    }

    @Test
    void aPortThatIsNotANumberIsNamed() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_PORT", "http")))
            .hasMessage("AGENTSTREAM_PORT: http (expected: 0 to 65535)");
    }

    @Test
    void aDatabaseThatIsNotSqliteOrPostgresIsRefusedWithoutShowingItsPassword() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_DB", "jdbc:mysql://u:secret@h/db?password=secret")))
            .hasMessageContaining("AGENTSTREAM_DB")
            .hasMessageNotContaining("secret");
    }

    @Test
    void aPublicHostWithoutApiKeysIsRefused() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_HOST", "0.0.0.0")))
            .hasMessageContaining("AGENTSTREAM_HOST: 0.0.0.0")
            .hasMessageContaining("AGENTSTREAM_API_KEYS");
    }

    @Test
    void toStringShowsNoSecrets() {
        ServerConfig config = ServerConfig.fromEnv(Map.of(
            "AGENTSTREAM_API_KEYS", "alice:topsecretkey",
            "AGENTSTREAM_DB", "jdbc:postgresql://db/x?user=a&password=pgsecret",
            "OPENAI_API_KEY", "sk-hidden",
            "OPENAI_BASE_URL", "https://user:basesecret@llm.example.com/v1",
            "AGENTSTREAM_JWT_SECRET", Tokens.SECRET));

        assertThat(config.toString()).doesNotContain("topsecretkey", "pgsecret", "sk-hidden", "basesecret", Tokens.SECRET)
            .contains("jwt=HS256");
    }

    @Test
    void theDatabaseSocketTimeoutDefaultsTo30sAndIsReadAsADurationOfAtLeastASecond() {
        assertThat(ServerConfig.fromEnv(Map.of()).dbSocketTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(ServerConfig.fromEnv(Map.of("AGENTSTREAM_DB_SOCKET_TIMEOUT", "2m")).dbSocketTimeout())
            .isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_DB_SOCKET_TIMEOUT", "500ms")))
            .hasMessageStartingWith("AGENTSTREAM_DB_SOCKET_TIMEOUT: 500ms (expected: a duration from 1s to 1h");
    }

    @Test
    void theMetricsTokenIsReadAndNeverShownAndAShortOneIsRefusedWithoutIt() {
        assertThat(ServerConfig.fromEnv(Map.of()).metricsToken().required()).isFalse();
        ServerConfig config = ServerConfig.fromEnv(Map.of("AGENTSTREAM_METRICS_TOKEN", "scrape-token-5c8e2d91"));

        assertThat(config.metricsToken().required()).isTrue();
        assertThat(config.toString()).contains("metrics=token").doesNotContain("scrape-token-5c8e2d91");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_METRICS_TOKEN", "short-tok")))
            .hasMessage("AGENTSTREAM_METRICS_TOKEN: 9 characters (expected: at least 16)");
    }

    @Test
    void theJwtVariablesConfigureTokenChecks() {
        ServerConfig config = ServerConfig.fromEnv(Map.of(
            "AGENTSTREAM_JWT_SECRET", Tokens.SECRET,
            "AGENTSTREAM_JWT_ISSUER", "https://id.example.com",
            "AGENTSTREAM_JWT_AUDIENCE", "agentstream"));
        String token = Tokens.hs256(Tokens.claims("alice").issuer("https://id.example.com").audience("agentstream").build());

        assertThat(config.jwt().verify(token)).contains(new Caller("alice"));
        assertThat(config.jwt().toString()).isEqualTo("HS256, issuer https://id.example.com, audience agentstream");
        assertThat(ServerConfig.fromEnv(Map.of()).jwt()).isNull();
    }

    @Test
    void aPublicKeyFileConfiguresRs256(@TempDir Path folder) {
        KeyPair keys = Tokens.rsaKeys();
        Path pem = Tokens.writePem(folder.resolve("issuer.pem"), keys);

        ServerConfig config = ServerConfig.fromEnv(Map.of("AGENTSTREAM_JWT_PUBLIC_KEY", pem.toString()));

        assertThat(config.jwt().verify(Tokens.rs256(keys, Tokens.claims("alice").build()))).contains(new Caller("alice"));
        assertThat(config.jwt().toString()).startsWith("RS256 keys from ").contains("issuer.pem");
    }

    @Test
    void wrongJwtVariablesAreNamedWithoutTheSecret() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_JWT_SECRET", "too-short-secret")))
            .hasMessageStartingWith("AGENTSTREAM_JWT_SECRET: ")
            .hasMessageNotContaining("too-short-secret");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_JWT_SECRET", Tokens.SECRET,
            "AGENTSTREAM_JWT_PUBLIC_KEY", "/keys/issuer.pem")))
            .hasMessageContaining("both set")
            .hasMessageNotContaining(Tokens.SECRET);
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_JWT_ISSUER", "https://id.example.com")))
            .hasMessageStartingWith("AGENTSTREAM_JWT_ISSUER");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AGENTSTREAM_JWT_PUBLIC_KEY", "/no/such/key.pem")))
            .hasMessageStartingWith("AGENTSTREAM_JWT_PUBLIC_KEY: /no/such/key.pem");
    }

    @Test
    void aPublicHostWithOnlyJwtIsAllowed() {
        assertThat(ServerConfig.fromEnv(Map.of("AGENTSTREAM_HOST", "0.0.0.0", "AGENTSTREAM_JWT_SECRET", Tokens.SECRET))
            .host()).isEqualTo("0.0.0.0");
    }
}
