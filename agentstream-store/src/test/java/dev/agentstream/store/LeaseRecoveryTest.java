package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.RunHandle;
import dev.agentstream.RunRequest;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;

/** Runs whose process died are ended by any node once their lease expires; live runs keep theirs. */
class LeaseRecoveryTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration PAST_THE_LEASE = LEASE.plusSeconds(1);

    private final TestTools tools = new TestTools();
    private final Upstream upstream = new Upstream().then(
        Script.builder().text("Hello ", "world").toolCalls(ToolCall.of("call-1", "slow", "{}")).build(),
        Script.text(" and more"));
    private Node first;

    /**
     * Starts a run on node-a that answered "Hello world" and now waits in a slow tool, with all it
     * emitted so far stored.
     */
    private RunHandle idleRun(TestDatabase db, MutableClock clock) throws InterruptedException {
        // No close grace: closing this node's storage stands for the process dying.
        first = Node.open(db, o -> o.leaseDuration(LEASE).clock(clock).closeGrace(Duration.ZERO));
        RunHandle handle = first.runtime.start(upstream.agent(tools), RunRequest.of("Say hello"));
        assertThat(tools.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
        await().until(() -> first.store().findRun(handle.runId()).orElseThrow().lastSeq() == handle.log().lastSeq());
        assertThat(first.storedAnswer(handle.sessionId())).isEqualTo("Hello world");
        return handle;
    }

    @AfterEach
    void endTheRun() {
        tools.release.countDown();
        if (first != null) {
            first.close();
        }
        upstream.close();
    }

    @BothDatabases
    void abandonedRunIsInterruptedWithItsFlushedContentOnceItsLeaseExpires(TestDatabase db) throws Exception {
        RunHandle handle = idleRun(db, new MutableClock());
        long lastStoredSeq = first.store().findRun(handle.runId()).orElseThrow().lastSeq();
        // The process dies: its storage goes away, and no terminal event is ever written.
        first.storage.close();

        try (Node second = Node.open(db, o -> o.nodeId("node-b").clock(MutableClock.ahead(PAST_THE_LEASE)))) {
            StoredRun run = second.store().findRun(handle.runId()).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(run.cancelReason()).isEqualTo(RunCancelled.REASON_LEASE_EXPIRED);
            assertThat(run.completedAt()).isNotNull();
            assertThat(run.leaseExpiresAt()).isNull();
            assertThat(run.lastSeq()).isEqualTo(lastStoredSeq + 1);
            List<StoredMessage> messages = second.store().messages(handle.sessionId());
            assertThat(messages.get(1)).satisfies(answer -> {
                assertThat(answer.content()).isEqualTo("Hello world");
                assertThat(answer.interrupted()).isTrue();
                assertThat(answer.completedAt()).isNotNull();
            });
            assertThat(messages.get(2)).satisfies(openTool -> {
                assertThat(openTool.toolName()).isEqualTo("slow");
                assertThat(openTool.interrupted()).isTrue();
            });
            assertThat(second.storage.stats().recoveredRuns()).isEqualTo(1);

            List<RunEvent> replay = second.store().eventsAfter(handle.runId(), 0);
            assertThat(replay).extracting(RunEvent::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, lastStoredSeq + 1).boxed().toList());
            assertThat(replay.subList(0, replay.size() - 1)).isEqualTo(handle.log().readAfter(0).events());
            assertThat(replay.stream().filter(RunContent.class::isInstance).map(e -> ((RunContent) e).content())
                .collect(Collectors.joining())).isEqualTo("Hello world");
            assertThat(replay.getLast()).isInstanceOfSatisfying(RunCancelled.class, end -> {
                assertThat(end.reason()).isEqualTo(RunCancelled.REASON_LEASE_EXPIRED);
                assertThat(end.content()).isEqualTo("Hello world");
                assertThat(end.runId()).isEqualTo(handle.runId());
                assertThat(end.sessionId()).isEqualTo(handle.sessionId());
                assertThat(end.agentId()).isEqualTo("assistant");
            });
        }
    }

    @BothDatabases
    void recoveryRunsPeriodicallyWithoutBeingAsked(TestDatabase db) throws Exception {
        RunHandle handle = idleRun(db, new MutableClock());
        first.storage.close();
        MutableClock clock = new MutableClock();

        try (Node second = Node.open(db, o -> o.nodeId("node-b").clock(clock).recoveryInterval(Duration.ofMillis(50)))) {
            assertThat(second.store().findRun(handle.runId()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            clock.advance(PAST_THE_LEASE);

            await().atMost(Duration.ofSeconds(5)).until(
                () -> second.store().findRun(handle.runId()).orElseThrow().status() == RunStatus.INTERRUPTED);
        }
    }

    @BothDatabases
    void liveRunRenewsItsLeaseWhileIdle(TestDatabase db) throws Exception {
        MutableClock clock = new MutableClock();
        RunHandle handle = idleRun(db, clock);
        Instant firstLease = first.store().findRun(handle.runId()).orElseThrow().leaseExpiresAt();

        clock.advance(LEASE.dividedBy(2));
        await().until(() -> first.store().findRun(handle.runId()).orElseThrow().leaseExpiresAt()
            .isAfter(firstLease.plus(LEASE.dividedBy(3))));

        // Past the first lease, before the renewed one: nothing to recover.
        try (Node second = Node.open(db, o -> o.nodeId("node-b").clock(MutableClock.ahead(LEASE.plusSeconds(5))))) {
            assertThat(second.storage.recoverExpiredLeases()).isZero();
            assertThat(second.store().findRun(handle.runId()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        }
    }

    @BothDatabases
    void recoveredRunIsNotWrittenAgainByItsFormerOwner(TestDatabase db) throws Exception {
        RunHandle handle = idleRun(db, new MutableClock());
        // node-a is alive but looks dead to node-b: node-b's clock runs past the lease.
        try (Node second = Node.open(db, o -> o.nodeId("node-b").clock(MutableClock.ahead(PAST_THE_LEASE)))) {
            assertThat(second.store().findRun(handle.runId()).orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);

            tools.release.countDown();
            assertThat(handle.segmentEnd().get(10, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.COMPLETED);
            await().until(() -> first.storage.stats().lostRuns() == 1);

            StoredRun run = second.store().findRun(handle.runId()).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
            List<StoredMessage> messages = second.store().messages(handle.sessionId());
            assertThat(messages.get(1).content()).isEqualTo("Hello world");
            assertThat(messages.get(2).content()).isNull();
            assertThat(second.store().eventsAfter(handle.runId(), 0).getLast()).isInstanceOf(RunCancelled.class);
        }
    }

    @BothDatabases
    void runsOfANodeKnownDeadAreInterruptedWithTheirFlushedContentBeforeTheirLeaseExpires(TestDatabase db) throws Exception {
        RunHandle handle = idleRun(db, new MutableClock());
        long lastStoredSeq = first.store().findRun(handle.runId()).orElseThrow().lastSeq();
        String owner = first.storage.options().nodeId();
        first.storage.close();

        try (Node second = Node.open(db, o -> o.nodeId("node-b"))) {
            assertThat(second.storage.nodesWithRunningRuns()).containsExactly(owner);

            List<RunCancelled> ends = second.storage.interruptRunsOf(owner, RunCancelled.REASON_NODE_LOST);

            assertThat(ends).singleElement().satisfies(end -> {
                assertThat(end.runId()).isEqualTo(handle.runId());
                assertThat(end.seq()).isEqualTo(lastStoredSeq + 1);
                assertThat(end.reason()).isEqualTo(RunCancelled.REASON_NODE_LOST);
                assertThat(end.content()).isEqualTo("Hello world");
            });
            StoredRun run = second.store().findRun(handle.runId()).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(run.cancelReason()).isEqualTo(RunCancelled.REASON_NODE_LOST);
            assertThat(second.store().eventsAfter(handle.runId(), lastStoredSeq)).containsExactlyElementsOf(ends);
            assertThat(second.storage.nodesWithRunningRuns()).isEmpty();
            assertThat(second.storage.interruptRunsOf(owner, RunCancelled.REASON_NODE_LOST)).isEmpty();
        }
    }
}
