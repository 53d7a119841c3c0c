package dev.agentstream.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.server.testing.LogSecretScan;
import dev.agentstream.server.testing.SuiteSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs after the whole suite (its own surefire execution, see this module's pom): the log every test
 * wrote ({@code target/test-logs/suite.log}) and the logs of the server processes tests started
 * ({@code target/nodes/*.log}) hold none of the keys, secrets and tokens the tests configured, nor
 * anything shaped like a credential. Not named {@code *Test}: the suite's own run must not include it.
 */
class SuiteLogSecretsCheck {

    @Test
    void noLogOfTheSuiteHoldsAKeySecretOrToken() throws IOException {
        Path suiteLog = SuiteSecrets.DIR.resolve("suite.log");
        assertThat(suiteLog).as("the suite's log (written by logback-test.xml)").exists();
        assertThat(Files.readString(suiteLog)).as("servers of the suite logged their start, so the capture worked")
            .contains("agentstream listening");
        List<String> secrets = SuiteSecrets.read();
        assertThat(secrets).as("secrets the suite configured (testing.SuiteSecrets)").isNotEmpty();

        List<String> findings = LogSecretScan.scan(List.of(SuiteSecrets.DIR, Path.of("target", "nodes")), secrets);

        assertThat(findings).as("log lines with a secret in them").isEmpty();
    }
}
