package dev.agentstream.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan that the suite's log check relies on finds what it must, and only that. */
class LogSecretScanTest {

    @TempDir
    Path dir;

    @Test
    void aConfiguredSecretATokenABearerCredentialOrAnOpenAiKeyInAnyLogIsFound() throws IOException {
        String token = Tokens.hs256(Tokens.claims("bob").build());
        Files.writeString(dir.resolve("suite.log"), String.join("\n",
            "05:00:00.000 INFO  d.a.server.AgentstreamServer - agentstream listening on http://127.0.0.1:1",
            "05:00:01.000 WARN  d.a.server.Something - key was key-alice-7f3c in the request",
            "05:00:02.000 ERROR d.a.server.Something - failed for token " + token,
            "05:00:03.000 DEBUG d.a.server.Something - header Authorization: Bearer abcdefgh12345",
            "05:00:04.000 INFO  d.a.server.Models - model client with key sk-live-abcdef123"));
        Files.createDirectories(dir.resolve("nodes"));
        Files.writeString(dir.resolve("nodes").resolve("node-a.log"), "05:00:05 INFO starting with key-alice-7f3c\n");

        List<String> findings = LogSecretScan.scan(List.of(dir), List.of("key-alice-7f3c"));

        assertThat(findings).hasSize(5);
        assertThat(findings).anyMatch(f -> f.contains("suite.log:2: a configured secret \"key…\""))
            .anyMatch(f -> f.contains("suite.log:3: something like a credential \"eyJ…\""))
            .anyMatch(f -> f.contains("suite.log:4: something like a credential \"Bea…\""))
            .anyMatch(f -> f.contains("suite.log:5: something like a credential \"sk-…\""))
            .anyMatch(f -> f.contains("node-a.log:1: a configured secret"));
        assertThat(String.join("\n", findings)).as("the report does not repeat the secrets")
            .doesNotContain("key-alice-7f3c", token, "abcdefgh12345", "sk-live-abcdef123");
    }

    @Test
    void theServersOwnMessagesAboutCredentialsAreNotFindings() throws IOException {
        Files.writeString(dir.resolve("suite.log"), String.join("\n",
            "05:00:00.000 INFO  d.a.server.Main - starting with ServerConfig[apiKeys=2, jwt=HS256]",
            "05:00:01.000 WARN  x - missing Authorization header (expected: Bearer <api key or JWT>)",
            "05:00:02.000 WARN  x - WWW-Authenticate: Bearer realm=\"agentstream\", error=\"invalid_token\""));

        assertThat(LogSecretScan.scan(List.of(dir), List.of("key-alice-7f3c"))).isEmpty();
    }
}
