package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.RunRequest;
import dev.agentstream.event.RunStatus;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import java.time.Duration;

/** Two nodes on one database agree on whose run holds a session and who continues a paused run. */
class NodeClaimsTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    @BothDatabases
    void aSessionIsHeldByOneRunUntilThatRunEnds(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(Script.text("done"));
             Node a = Node.open(db, o -> o.nodeId("node-a"));
             Node b = Node.open(db, o -> o.nodeId("node-b"))) {
            assertThat(a.store().claimSession("s1", "run-1")).isEmpty();
            assertThat(b.store().claimSession("s1", "run-2")).contains("run-1");
            assertThat(a.store().claimSession("s1", "run-1")).as("claiming again").isEmpty();

            a.run(upstream.agent("assistant").build(), RunRequest.of("hi").withSessionId("s1").withRunId("run-1"));

            assertThat(b.store().claimSession("s1", "run-2")).isEmpty();
            assertThat(a.store().claimSession("s1", "run-3")).contains("run-2");
        }
    }

    @BothDatabases
    void aReleasedSessionIsFreeAtOnceAndAClaimWhoseRunNeverStartedLapsesAfterALease(TestDatabase db) {
        try (Node a = Node.open(db, o -> o.nodeId("node-a").leaseDuration(LEASE));
             Node later = Node.open(db, o -> o.nodeId("node-b").clock(MutableClock.ahead(LEASE.plusSeconds(1))))) {
            assertThat(a.store().claimSession("s1", "run-1")).isEmpty();
            a.store().releaseSession("s1", "run-1");
            assertThat(a.store().claimSession("s1", "run-2")).isEmpty();

            assertThat(later.store().claimSession("s1", "run-3")).as("run-2 never stored, a lease ago").isEmpty();
        }
    }

    @BothDatabases
    void aPausedRunIsTakenByOneNodeOnlyAndCanBeGivenBack(TestDatabase db) throws Exception {
        Script asksToSend = Script.toolCalls(ToolCall.of("call-1", "sendEmail", "{\"to\":\"bob@example.com\"}"));
        try (Upstream upstream = new Upstream().then(asksToSend);
             Node a = Node.open(db, o -> o.nodeId("node-a"));
             Node b = Node.open(db, o -> o.nodeId("node-b"))) {
            var agent = upstream.agent("assistant", new TestTools()).requireConfirmation("sendEmail").build();
            String runId = a.runtime.start(agent, RunRequest.of("Email Bob")).runId();
            await().atMost(Duration.ofSeconds(10))
                .until(() -> a.store().pausedState(runId).isPresent());

            assertThat(b.store().claimPausedRun(runId)).isTrue();
            assertThat(a.store().claimPausedRun(runId)).isFalse();
            StoredRun taken = a.store().findRun(runId).orElseThrow();
            assertThat(taken.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(taken.ownerNode()).isEqualTo("node-b");

            b.store().releasePausedRun(runId);

            assertThat(a.store().pausedState(runId)).isPresent();
            assertThat(a.store().claimPausedRun(runId)).isTrue();
        }
    }
}
