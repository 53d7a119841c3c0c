package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.RunHandle;
import dev.agentstream.RunRequest;
import dev.agentstream.event.RunStatus;
import dev.agentstream.testkit.Script;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/** A run whose rows the database refuses is given up alone; the other runs of its flushes are written. */
class WriterFailureTest {

    @BothDatabases
    void runWhoseRowsFailDoesNotCostOtherRunsTheirWrites(TestDatabase db) throws Exception {
        String[] pieces = IntStream.range(0, 40).mapToObj(i -> "piece " + i + " ").toArray(String[]::new);
        try (Upstream originalModel = new Upstream().then(Script.stallBeforeResponse());
             Upstream healthyModel = new Upstream().then(Script.text(pieces).chunkDelay(Duration.ofMillis(50)));
             Upstream duplicateModel = new Upstream().then(Script.text("dup"));
             Node first = Node.open(db);
             Node second = Node.open(db, o -> o.nodeId("node-b"))) {
            RunHandle original = first.runtime.start(originalModel.agent(), RunRequest.of("original").withRunId("same-id"));
            await().until(() -> first.store().findRun("same-id").isPresent());

            RunHandle healthy = second.runtime.start(healthyModel.agent(), RunRequest.of("healthy"));
            await().until(() -> healthy.log().lastSeq() >= 1);
            // The same run id again: its run row can never be inserted, in every flush it shares with "healthy".
            RunHandle duplicate = second.runtime.start(duplicateModel.agent(), RunRequest.of("duplicate").withRunId("same-id"));
            duplicate.segmentEnd().get(30, TimeUnit.SECONDS);
            healthy.segmentEnd().get(30, TimeUnit.SECONDS);

            assertThat(second.storage.stats().failedFlushes()).isPositive();
            StoredRun stored = second.store().findRun(healthy.runId()).orElseThrow();
            assertThat(stored.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(second.storedAnswer(healthy.sessionId())).isEqualTo(String.join("", pieces));
            StoredRun untouched = first.store().findRun("same-id").orElseThrow();
            assertThat(untouched.ownerNode()).isEqualTo("node-a");
            assertThat(untouched.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(first.store().messages(original.sessionId())).extracting(StoredMessage::content)
                .containsExactly("original", "");
        }
    }
}
