package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.RunHandle;
import dev.agentstream.RunRequest;
import dev.agentstream.event.RunStatus;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A run whose rows the database refuses is given up alone; the other runs of its flushes are written. */
class WriterFailureTest {

    @BothDatabases
    void runWhoseRowsFailDoesNotCostOtherRunsTheirWrites(TestDatabase db) throws Exception {
        var firstChunks = new LinkedBlockingQueue<String>();
        var healthyChunks = new LinkedBlockingQueue<String>();
        try (Node first = Node.open(db); Node second = Node.open(db, o -> o.nodeId("node-b"))) {
            RunHandle original = first.runtime.start(Node.agent(new ScriptedModel().then(ScriptedModel.gated(firstChunks))),
                RunRequest.of("original").withRunId("same-id"));
            await().until(() -> first.store().findRun("same-id").isPresent());

            RunHandle healthy = second.runtime.start(Node.agent(new ScriptedModel().then(ScriptedModel.gated(healthyChunks))),
                RunRequest.of("healthy"));
            await().until(() -> healthy.log().lastSeq() >= 1);
            // The same run id again: its run row can never be inserted, in every flush it shares with "healthy".
            RunHandle duplicate = second.runtime.start(Node.agent(new ScriptedModel().then(ScriptedModel.answer("dup"))),
                RunRequest.of("duplicate").withRunId("same-id"));
            for (int i = 0; i < 20; i++) {
                healthyChunks.add("piece " + i + " ");
            }
            duplicate.segmentEnd().get(30, TimeUnit.SECONDS);
            healthyChunks.add(ScriptedModel.END);
            healthy.segmentEnd().get(10, TimeUnit.SECONDS);

            assertThat(second.storage.stats().failedFlushes()).isPositive();
            StoredRun stored = second.store().findRun(healthy.runId()).orElseThrow();
            assertThat(stored.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(second.storedAnswer(healthy.sessionId())).isEqualTo(healthy.output().content());
            StoredRun untouched = first.store().findRun("same-id").orElseThrow();
            assertThat(untouched.ownerNode()).isEqualTo("node-a");
            assertThat(untouched.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(first.store().messages(original.sessionId())).extracting(StoredMessage::content)
                .containsExactly("original", "");
            firstChunks.add(ScriptedModel.END);
        }
    }
}
