package dev.agentstream.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.server.testing.Tokens;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** JWT bearer tokens over real HTTP, beside API keys, through the one auth gate every route passes. */
@Timeout(30)
class JwtAuthTest {

    static final String ISSUER = "https://id.example.com";
    static final String AUDIENCE = "agentstream";

    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .apiKeys("carol:key-carol")
        .customize(b -> b.jwt(JwtVerifier.hs256(Tokens.SECRET).issuer(ISSUER).audience(AUDIENCE).build()))
        .shared();

    @TempDir
    Path folder;

    static String tokenFor(String user) {
        return Tokens.hs256(Tokens.claims(user).issuer(ISSUER).audience(AUDIENCE).build());
    }

    static Date inMinutes(long minutes) {
        return Date.from(Instant.now().plus(Duration.ofMinutes(minutes)));
    }

    /** Tokens that must each be refused, by what is wrong with them. */
    static Map<String, String> badTokens() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("expired", Tokens.hs256(Tokens.claims("alice").issuer(ISSUER).audience(AUDIENCE)
            .issueTime(inMinutes(-30)).notBeforeTime(inMinutes(-30)).expirationTime(inMinutes(-10)).build()));
        bad.put("not yet valid", Tokens.hs256(Tokens.claims("alice").issuer(ISSUER).audience(AUDIENCE)
            .notBeforeTime(inMinutes(10)).build()));
        bad.put("wrong signature", Tokens.hs256("another-secret-that-is-long-enough!",
            Tokens.claims("alice").issuer(ISSUER).audience(AUDIENCE).build()));
        bad.put("wrong issuer", Tokens.hs256(Tokens.claims("alice").issuer("https://evil.example.com")
            .audience(AUDIENCE).build()));
        bad.put("wrong audience", Tokens.hs256(Tokens.claims("alice").issuer(ISSUER).audience("another-service").build()));
        bad.put("malformed", "eyJhbGciOiJIUzI1NiJ9.not-json.c2ln");
        return bad;
    }

    @Test
    void aValidTokensSubjectSeesOnlyTheirOwnSessionsAndRuns() {
        String[] alice = Tokens.bearer(tokenFor("alice"));
        String[] bob = Tokens.bearer(tokenFor("bob"));
        JsonNode run = TestServer.json(server.post("/v1/agents/assistant/runs", "{\"message\":\"hello\",\"stream\":false}",
            alice));
        String runId = run.get("run_id").asText();
        String sessionId = run.get("session_id").asText();

        assertThat(server.getJson("/v1/sessions", 200, alice).get("sessions").findValuesAsText("session_id"))
            .contains(sessionId);
        assertThat(server.getJson("/v1/sessions", 200, bob).get("sessions").findValuesAsText("session_id"))
            .doesNotContain(sessionId);
        assertThat(server.get("/v1/sessions/" + sessionId, bob).statusCode()).isEqualTo(404);
        assertThat(server.get("/v1/runs/" + runId, bob).statusCode()).isEqualTo(404);
        assertThat(server.get("/v1/runs/" + runId + "/events", bob).statusCode()).isEqualTo(404);
        assertThat(server.getJson("/v1/runs/" + runId, 200, alice).get("status").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void badTokensAnswer401WithTheRoutesJsonErrorBody() {
        badTokens().forEach((what, token) -> {
            HttpResponse<String> v1 = server.get("/v1/sessions", Tokens.bearer(token));
            HttpResponse<String> agentOs = server.get("/sessions", Tokens.bearer(token));

            assertThat(v1.statusCode()).as(what).isEqualTo(401);
            assertThat(TestServer.json(v1).path("error").path("code").asText()).as(what).isEqualTo("unauthorized");
            assertThat(v1.headers().firstValue("WWW-Authenticate")).as(what).hasValueSatisfying(
                value -> assertThat(value).contains("invalid_token"));
            assertThat(v1.body()).as(what).doesNotContain(token);
            assertThat(agentOs.statusCode()).as(what).isEqualTo(401);
            assertThat(TestServer.json(agentOs).path("detail").asText()).as(what).contains("not valid");
        });
    }

    @Test
    void apiKeysStillWorkBesideTokens() {
        assertThat(server.get("/v1/sessions", "Authorization", "Bearer key-carol").statusCode()).isEqualTo(200);
        assertThat(server.get("/v1/sessions", "Authorization", "Bearer key-mallory").statusCode()).isEqualTo(401);
        assertThat(server.get("/v1/sessions").statusCode()).isEqualTo(401);
    }

    @Test
    void rs256TokensAreCheckedWithThePublicKeyFile() {
        KeyPair issuerKeys = Tokens.rsaKeys();
        Path pem = Tokens.writePem(folder.resolve("issuer.pem"), issuerKeys);
        try (TestServer rsaServer = TestServer.builder()
            .customize(b -> b.jwt(JwtVerifier.rs256(pem).build()))
            .start()) {
            String good = Tokens.rs256(issuerKeys, Tokens.claims("dave").build());
            String otherKey = Tokens.rs256(Tokens.rsaKeys(), Tokens.claims("dave").build());
            String expired = Tokens.rs256(issuerKeys, Tokens.claims("dave").notBeforeTime(inMinutes(-30))
                .expirationTime(inMinutes(-10)).build());

            assertThat(rsaServer.get("/v1/sessions", Tokens.bearer(good)).statusCode()).isEqualTo(200);
            assertThat(rsaServer.get("/v1/sessions", Tokens.bearer(otherKey)).statusCode()).isEqualTo(401);
            assertThat(rsaServer.get("/v1/sessions", Tokens.bearer(expired)).statusCode()).isEqualTo(401);
            assertThat(rsaServer.get("/v1/sessions", Tokens.bearer(Tokens.hs256(Tokens.claims("dave").build())))
                .statusCode()).isEqualTo(401);
        }
    }
}
