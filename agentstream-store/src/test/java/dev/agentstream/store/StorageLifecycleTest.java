package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.agentstream.RunHandle;
import dev.agentstream.RunOutput;
import dev.agentstream.RunRequest;
import dev.agentstream.event.RunStatus;
import dev.agentstream.testkit.Script;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StorageLifecycleTest {

    @BothDatabases
    void reopeningAStoreKeepsItsDataAndMigratesOnce(TestDatabase db) throws Exception {
        RunOutput output;
        try (Upstream upstream = new Upstream().then(Script.text("kept")); Node node = Node.open(db)) {
            output = node.run(upstream.agent(), RunRequest.of("Hi"));
        }
        try (Node node = Node.open(db)) {
            assertThat(node.store().findRun(output.runId()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(db.queryLong("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1'")).isEqualTo(1);
        }
    }

    @BothDatabases
    void closingTwiceIsHarmlessAndLaterEventsAreIgnored(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(Script.text("unstored")); Node node = Node.open(db)) {
            node.storage.close();
            node.storage.close();
            node.store().close();

            RunOutput output = node.run(upstream.agent(), RunRequest.of("Hi"));
            assertThat(output.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(db.queryLong("SELECT COUNT(*) FROM runs")).isZero();
        }
    }

    @BothDatabases
    void closingTheRuntimeThenTheStorageStoresLiveRunsAsInterruptedByTheShutdown(TestDatabase db) {
        String runId;
        try (Upstream upstream = new Upstream().then(Script.text("Partial", " answer").stallAfter(1));
             Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(upstream.agent(), RunRequest.of("Hi"));
            await().until(() -> handle.output().content().equals("Partial"));
            runId = handle.runId();
        }
        try (Node node = Node.open(db)) {
            StoredRun run = node.store().findRun(runId).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(run.cancelReason()).isEqualTo("shutdown");
            assertThat(node.storedAnswer(run.sessionId())).isEqualTo("Partial");
        }
    }

    @BothDatabases
    void statsCountWhatTheWriterDid(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(Script.text("a", "b")); Node node = Node.open(db)) {
            node.run(upstream.agent(), RunRequest.of("Hi"));
            StorageStats stats = node.storage.stats();

            assertThat(stats.statements()).isGreaterThanOrEqualTo(stats.batches()).isPositive();
            assertThat(stats.commits()).isPositive();
            assertThat(stats.flushes()).isPositive();
            assertThat(stats.failedFlushes()).isZero();
            assertThat(stats.liveRuns()).isZero();
            assertThat(stats.maxFlushLatency()).isPositive().isGreaterThanOrEqualTo(stats.meanFlushLatency());
        }
    }

    @Test
    void postgresSchemaOptionCreatesTheSchema() throws Exception {
        TestDatabases.requirePostgres();
        String schema = "as_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        TestDatabase db = new TestDatabase("postgresql", TestDatabases.POSTGRES);
        try (Upstream upstream = new Upstream().then(Script.text("ok")); Node node = Node.open(db, o -> o.schema(schema))) {
            RunOutput output = node.run(upstream.agent(), RunRequest.of("Hi"));

            assertThat(node.store().findRun(output.runId())).isPresent();
            assertThat(db.queryLong("SELECT COUNT(*) FROM " + schema + ".runs")).isEqualTo(1);
        } finally {
            try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void passwordsAreMaskedInUrls() {
        assertThat(Database.maskSecrets("jdbc:postgresql://db:5432/app?user=app&password=s3cret&ssl=true"))
            .isEqualTo("jdbc:postgresql://db:5432/app?user=app&password=***&ssl=true");
        assertThat(Database.maskSecrets("jdbc:postgresql://app:s3cret@db:5432/app"))
            .isEqualTo("jdbc:postgresql://app:***@db:5432/app");
        assertThat(Database.maskSecrets("jdbc:sqlite:./agentstream.db")).isEqualTo("jdbc:sqlite:./agentstream.db");
    }

    @Test
    void unsupportedUrlIsRejectedWithoutItsPassword() {
        assertThatThrownBy(() -> StorageOptions.builder().jdbcUrl("jdbc:mysql://db/app?password=s3cret"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("expected: jdbc:sqlite:")
            .hasMessageNotContaining("s3cret");
    }
}
