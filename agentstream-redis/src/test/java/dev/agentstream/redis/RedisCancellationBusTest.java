package dev.agentstream.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.run.CancellationBus.CancelRequest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisCancellationBusTest {

    private RedisLink linkA;
    private RedisLink linkB;
    private RedisCancellationBus nodeA;
    private RedisCancellationBus nodeB;
    private final List<CancelRequest> seenByA = new CopyOnWriteArrayList<>();

    @BeforeEach
    void twoNodes() {
        linkA = TestRedis.connect();
        linkB = TestRedis.connect();
        nodeA = new RedisCancellationBus(linkA);
        nodeB = new RedisCancellationBus(linkB);
        nodeA.subscribe(seenByA::add);
    }

    @AfterEach
    void close() {
        TestRedis.closeAll(nodeA, nodeB, linkA, linkB);
    }

    @Test
    void aCancelRequestedOnOneNodeReachesTheListenersOfAnother() {
        String runId = UUID.randomUUID().toString();

        nodeB.requestCancel(runId, "cancelled");

        await().atMost(Duration.ofSeconds(5)).until(() -> seenByA.contains(new CancelRequest(runId, "cancelled")));
    }

    @Test
    void aNodeSeesItsOwnCancelOnceAndAtOnce() {
        String runId = UUID.randomUUID().toString();

        nodeA.requestCancel(runId, "cancelled");

        assertThat(seenByA).containsExactly(new CancelRequest(runId, "cancelled"));
    }

    @Test
    void aCancelRequestedBeforeTheRunExistsIsPendingOnANodeThatJoinsLater() {
        String runId = UUID.randomUUID().toString();
        nodeB.requestCancel(runId, "cancelled");
        await().atMost(Duration.ofSeconds(5)).until(() -> nodeB.pendingCancel(runId).isPresent());

        try (RedisLink linkC = TestRedis.connect(); RedisCancellationBus nodeC = new RedisCancellationBus(linkC)) {
            assertThat(nodeC.pendingCancel(runId)).contains("cancelled");
            assertThat(nodeC.pendingCancel(UUID.randomUUID().toString())).isEmpty();
        }
    }

    @Test
    void aCancelAnnouncedWhileANodesSubscriptionWasDroppedIsDeliveredAfterItReconnects() {
        String runId = UUID.randomUUID().toString();
        // Drop every pub/sub connection (A's among them); Lettuce reconnects them.
        linkB.commands().sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());

        nodeB.requestCancel(runId, "cancelled");

        await().atMost(Duration.ofSeconds(10)).until(() -> seenByA.contains(new CancelRequest(runId, "cancelled")));
    }
}
