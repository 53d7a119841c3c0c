package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.RunHandle;
import dev.agentstream.RunRequest;
import dev.agentstream.testkit.Script;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * Webhook deliveries shared by two nodes on one database: due once their run's end is stored,
 * claimed by one node at a time, taken over when a claim lapses, retried and given up.
 */
class WebhookDeliveriesTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock();
    private final Upstream upstream = new Upstream().then(Script.text("Hello ", "world"));
    private Node a;
    private Node b;

    private void open(TestDatabase db) {
        a = Node.open(db, o -> o.nodeId("node-a").clock(clock));
        b = Node.open(db, o -> o.nodeId("node-b").clock(clock));
    }

    @AfterEach
    void close() {
        for (Node node : new Node[] {b, a}) {
            if (node != null) {
                node.close();
            }
        }
        upstream.close();
    }

    private String completedRun() throws Exception {
        RunHandle handle = a.runtime.start(upstream.agent(), RunRequest.of("Say hello"));
        handle.segmentEnd().get(20, TimeUnit.SECONDS);
        return handle.runId();
    }

    @BothDatabases
    void aDeliveryIsDueOnceItsRunEndedAndOnlyOneNodeClaimsIt(TestDatabase db) throws Exception {
        open(db);
        String notStarted = a.storage.webhooks().register("run-that-has-not-started", "http://127.0.0.1:9/hook");
        String runId = completedRun();
        String deliveryId = a.storage.webhooks().register(runId, "http://127.0.0.1:9/hook");

        List<WebhookDelivery> onB = b.storage.webhooks().claimDue(LEASE, 10);
        List<WebhookDelivery> onA = a.storage.webhooks().claimDue(LEASE, 10);

        assertThat(onB).extracting(WebhookDelivery::deliveryId).containsExactly(deliveryId);
        assertThat(onB.getFirst().claimedBy()).isEqualTo("node-b");
        assertThat(onA).isEmpty();
        assertThat(a.storage.webhooks().find(notStarted).orElseThrow().claimedBy()).isNull();
    }

    @BothDatabases
    void aLapsedClaimIsTakenOverAndTheLateNodesOutcomeIsIgnored(TestDatabase db) throws Exception {
        open(db);
        String deliveryId = a.storage.webhooks().register(completedRun(), "http://127.0.0.1:9/hook");
        assertThat(a.storage.webhooks().claimDue(LEASE, 10)).hasSize(1);

        clock.advance(LEASE.plusSeconds(1));
        List<WebhookDelivery> takenOver = b.storage.webhooks().claimDue(LEASE, 10);

        assertThat(takenOver).extracting(WebhookDelivery::claimedBy).containsExactly("node-b");
        assertThat(a.storage.webhooks().delivered(deliveryId)).isFalse();
        assertThat(b.storage.webhooks().delivered(deliveryId)).isTrue();
        WebhookDelivery row = a.storage.webhooks().find(deliveryId).orElseThrow();
        assertThat(row.status()).isEqualTo(WebhookDelivery.DELIVERED);
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.claimedBy()).isNull();
        assertThat(b.storage.webhooks().claimDue(LEASE, 10)).isEmpty();
    }

    @BothDatabases
    void aFailedAttemptWaitsForItsNextTimeAndTheLastOneGivesUp(TestDatabase db) throws Exception {
        open(db);
        String deliveryId = a.storage.webhooks().register(completedRun(), "http://127.0.0.1:9/hook");
        a.storage.webhooks().claimDue(LEASE, 10);

        assertThat(a.storage.webhooks().attemptFailed(deliveryId, "HTTP 500", clock.instant().plusSeconds(10))).isTrue();
        assertThat(b.storage.webhooks().claimDue(LEASE, 10)).isEmpty();
        clock.advance(Duration.ofSeconds(11));
        assertThat(b.storage.webhooks().claimDue(LEASE, 10)).hasSize(1);
        assertThat(b.storage.webhooks().attemptFailed(deliveryId, "ConnectException", null)).isTrue();

        WebhookDelivery row = a.storage.webhooks().find(deliveryId).orElseThrow();
        assertThat(row.status()).isEqualTo(WebhookDelivery.FAILED);
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(row.lastError()).isEqualTo("ConnectException");
        clock.advance(Duration.ofHours(1));
        assertThat(a.storage.webhooks().claimDue(LEASE, 10)).isEmpty();
    }

    @BothDatabases
    void aRunHasOneDeliveryAndARefusedStartLeavesNone(TestDatabase db) throws Exception {
        open(db);
        String first = a.storage.webhooks().register("run-1", "http://127.0.0.1:9/first");
        String again = b.storage.webhooks().register("run-1", "http://127.0.0.1:9/again");
        a.storage.webhooks().register("run-2", "http://127.0.0.1:9/refused");

        a.storage.webhooks().forget("run-2");

        assertThat(again).isEqualTo(first);
        assertThat(a.storage.webhooks().forRun("run-1")).extracting(WebhookDelivery::url)
            .containsExactly("http://127.0.0.1:9/again");
        assertThat(a.storage.webhooks().forRun("run-2")).isEmpty();
    }

    @BothDatabases
    void forgettingTheDeliveryOfARunThatWasStoredKeepsIt(TestDatabase db) throws Exception {
        open(db);
        String runId = completedRun();
        String deliveryId = a.storage.webhooks().register(runId, "http://127.0.0.1:9/hook");

        b.storage.webhooks().forget(runId);

        assertThat(a.storage.webhooks().forRun(runId)).extracting(WebhookDelivery::deliveryId).containsExactly(deliveryId);
        assertThat(b.storage.webhooks().claimDue(LEASE, 10)).extracting(WebhookDelivery::deliveryId)
            .containsExactly(deliveryId);
    }
}
