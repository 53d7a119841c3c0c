package dev.agentstream.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.event.RunStatus;
import dev.agentstream.server.run.Peers;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.server.testing.WebhookReceiver;
import dev.agentstream.store.WebhookDelivery;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Background runs naming a webhook, on a real server over a real SQLite file, delivering to a real
 * receiver on loopback: signed, once, retried, and taken over by another node when the first hangs.
 */
@Timeout(60)
class WebhookDeliveryTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    static final WebhookConfig CONFIG = WebhookConfig.defaults(SECRET)
        .withRetries(5, Duration.ofMillis(100), Duration.ofMillis(400));

    WebhookReceiver receiver;
    TestServer server;

    @BeforeEach
    void start() {
        receiver = WebhookReceiver.start();
        server = TestServer.builder().wordDelay(Duration.ofMillis(5)).customize(b -> b.webhooks(CONFIG)).start();
    }

    @AfterEach
    void stop() {
        server.close();
        receiver.close();
    }

    String startBackground(String message) {
        HttpResponse<String> started = server.post("/v1/agents/assistant/runs", "{\"message\":\"" + message
            + "\",\"background\":true,\"webhook\":\"" + receiver.url() + "\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        return TestServer.json(started).get("run_id").asText();
    }

    WebhookDelivery recorded(String runId) {
        List<WebhookDelivery> rows = server.storage().webhooks().forRun(runId);
        assertThat(rows).hasSize(1);
        return rows.getFirst();
    }

    void awaitDelivered(String runId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> recorded(runId).status().equals(WebhookDelivery.DELIVERED));
    }

    @Test
    void aCompletedBackgroundRunIsDeliveredOnceSignedWithTheSecret() {
        String runId = startBackground("hello there");

        WebhookReceiver.Received delivery = receiver.await(1, Duration.ofSeconds(10)).getFirst();
        awaitDelivered(runId);

        assertThat(new WebhookSignature(SECRET).verify(delivery.body(), delivery.header(WebhookSignature.HEADER))).isTrue();
        assertThat(new WebhookSignature(SECRET + "x").verify(delivery.body(), delivery.header(WebhookSignature.HEADER)))
            .isFalse();
        assertThat(delivery.header("X-Agentstream-Signature")).matches("sha256=[0-9a-f]{64}");
        JsonNode body = delivery.json();
        assertThat(body.get("run_id").asText()).isEqualTo(runId);
        assertThat(body.get("agent_id").asText()).isEqualTo("assistant");
        assertThat(body.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(body.get("content").asText()).contains("hello there");
        assertThat(body.get("delivery_id").asText()).isEqualTo(delivery.header("X-Agentstream-Delivery"))
            .isEqualTo(recorded(runId).deliveryId());
        assertThat(delivery.header("X-Agentstream-Timestamp")).matches("\\d{10}");
        JsonNode run = server.getJson("/v1/runs/" + runId, 200);
        assertThat(body.get("content").asText()).isEqualTo(run.get("content").asText());
        assertThat(body.get("session_id").asText()).isEqualTo(run.get("session_id").asText());
        assertThat(recorded(runId).attempts()).isEqualTo(1);
        // Once: later polls find nothing due.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> receiver.received().size() == 1);
    }

    @Test
    void aFailedRunDeliversItsErrorAndTheContentBeforeIt() {
        String runId = startBackground("fail");

        JsonNode body = receiver.await(1, Duration.ofSeconds(10)).getFirst().json();

        assertThat(body.get("run_id").asText()).isEqualTo(runId);
        assertThat(body.get("status").asText()).isEqualTo("ERROR");
        assertThat(body.get("error").asText()).contains("demo model failure");
    }

    @Test
    void aCancelledRunDeliversItsCancellation() {
        String runId = startBackground("story 3000");
        await().atMost(Duration.ofSeconds(10)).until(() -> !server.getJson("/v1/runs/" + runId, 200)
            .get("content").asText().isEmpty());

        assertThat(server.post("/v1/runs/" + runId + "/cancel", "").statusCode()).isEqualTo(202);

        JsonNode body = receiver.await(1, Duration.ofSeconds(10)).getFirst().json();
        assertThat(body.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(body.get("cancel_reason").asText()).isEqualTo("cancelled");
        assertThat(body.get("content").asText()).isNotEmpty();
    }

    @Test
    void aPausedRunDeliversThatItWaitsForADecision() {
        String runId = startBackground("email bob@example.com about the launch");

        JsonNode body = receiver.await(1, Duration.ofSeconds(10)).getFirst().json();

        assertThat(body.get("run_id").asText()).isEqualTo(runId);
        assertThat(body.get("status").asText()).isEqualTo("PAUSED");
        assertThat(server.getJson("/v1/runs/" + runId, 200).get("status").asText()).isEqualTo("PAUSED");
    }

    @Test
    void aReceiverFailingTwiceGetsThreeAttemptsAndOneRecordedSuccess() {
        receiver.answer(500, 503);
        String runId = startBackground("retry me");

        List<WebhookReceiver.Received> attempts = receiver.await(3, Duration.ofSeconds(10));
        awaitDelivered(runId);

        assertThat(attempts).hasSize(3);
        assertThat(attempts).extracting(r -> r.header("X-Agentstream-Delivery")).containsOnly(recorded(runId).deliveryId());
        assertThat(attempts).allSatisfy(r ->
            assertThat(new WebhookSignature(SECRET).verify(r.body(), r.header(WebhookSignature.HEADER))).isTrue());
        WebhookDelivery row = recorded(runId);
        assertThat(row.attempts()).isEqualTo(3);
        assertThat(row.lastError()).isNull();
        assertThat(row.deliveredAt()).isNotNull();
    }

    @Test
    void aReceiverThatNeverAcceptsIsGivenUpAfterTheLastAttemptWithTheErrorRecorded() {
        receiver.answer(500, 500, 500, 500, 500);
        String runId = startBackground("nobody home");

        await().atMost(Duration.ofSeconds(10)).until(() -> recorded(runId).status().equals(WebhookDelivery.FAILED));

        assertThat(receiver.received()).hasSize(5);
        assertThat(recorded(runId).attempts()).isEqualTo(5);
        assertThat(recorded(runId).lastError()).isEqualTo("HTTP 500");
    }

    @Test
    void aRunCancelledWhileItWaitsItsTurnInItsSessionIsStoredAndDeliversItsCancellation() {
        String session = UUID.randomUUID().toString();
        HttpResponse<String> first = server.post("/v1/agents/assistant/runs", "{\"message\":\"story 3000\","
            + "\"background\":true,\"session_id\":\"" + session + "\"}");
        String going = TestServer.json(first).get("run_id").asText();
        String waiting = TestServer.json(server.post("/v1/agents/assistant/runs", "{\"message\":\"after you\","
            + "\"background\":true,\"multitask\":\"enqueue\",\"session_id\":\"" + session + "\",\"webhook\":\""
            + receiver.url() + "\"}")).get("run_id").asText();
        assertThat(server.getJson("/v1/runs/" + waiting, 200).get("status").asText()).isEqualTo("PENDING");

        assertThat(server.post("/v1/runs/" + waiting + "/cancel", "").statusCode()).isEqualTo(202);

        JsonNode body = receiver.await(1, Duration.ofSeconds(10)).getFirst().json();
        assertThat(body.get("run_id").asText()).isEqualTo(waiting);
        assertThat(body.get("status").asText()).isEqualTo("CANCELLED");
        awaitDelivered(waiting);
        assertThat(server.storage().store().findRun(waiting)).isPresent();
        assertThat(server.post("/v1/runs/" + going + "/cancel", "").statusCode()).isEqualTo(202);
    }

    /** A node of two sharing {@code folder}'s database, so that sessions are taken turns at across nodes. */
    static TestServer clusteredNode(Path folder, String nodeId) {
        return TestServer.builder().folder(folder).wordDelay(Duration.ofMillis(5))
            .storage(o -> o.nodeId(nodeId))
            .customize(b -> b.peers(Peers.reachedWhile(nodeId, () -> true)).webhooks(CONFIG))
            .start();
    }

    @Test
    void aRunThatWaitedItsTurnBehindAnotherNodesRunAndNeverStartedLeavesNoDelivery() throws Exception {
        Path folder = Files.createTempDirectory("agentstream-webhook-never-started");
        String session = UUID.randomUUID().toString();
        try (TestServer nodeA = clusteredNode(folder, "node-a")) {
            HttpResponse<String> first = nodeA.post("/v1/agents/assistant/runs", "{\"message\":\"story 3000\","
                + "\"background\":true,\"session_id\":\"" + session + "\"}");
            String holder = TestServer.json(first).get("run_id").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> nodeA.storage().store().findRun(holder)
                .filter(run -> run.status() == RunStatus.RUNNING).isPresent());
            String waiting;
            try (TestServer nodeB = clusteredNode(folder, "node-b")) {
                HttpResponse<String> queued = nodeB.post("/v1/agents/assistant/runs", "{\"message\":\"after you\","
                    + "\"background\":true,\"multitask\":\"enqueue\",\"session_id\":\"" + session
                    + "\",\"webhook\":\"" + receiver.url() + "\"}");
                assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
                waiting = TestServer.json(queued).get("run_id").asText();
                assertThat(nodeB.getJson("/v1/runs/" + waiting, 200).get("status").asText()).isEqualTo("PENDING");
                assertThat(nodeB.storage().webhooks().forRun(waiting)).hasSize(1);
                // Node B stops while its run waits for node A's: the run never starts.
            }

            assertThat(nodeA.storage().store().findRun(waiting)).as("the waiting run was never stored").isEmpty();
            assertThat(nodeA.storage().webhooks().forRun(waiting)).as("no delivery stays for a run that never started")
                .isEmpty();
            assertThat(nodeA.post("/v1/runs/" + holder + "/cancel", "").statusCode()).isEqualTo(202);
        } finally {
            TestServer.deleteQuietly(folder);
        }
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void aDeliveryWhoseNodeStopsMidAttemptIsTakenOverByAnotherNodeOnTheSameDatabase() throws Exception {
        Path folder = Files.createTempDirectory("agentstream-webhook-takeover");
        // Node A claims for 1 s and stops while the receiver has not answered its attempt.
        WebhookConfig shortClaim = CONFIG.withClaim(Duration.ofSeconds(1), Duration.ofMillis(900));
        receiver.holdNext();
        String runId;
        try (TestServer nodeA = TestServer.builder().folder(folder).customize(b -> b.webhooks(shortClaim)).start()) {
            runId = TestServer.json(nodeA.post("/v1/agents/assistant/runs", "{\"message\":\"take over\","
                + "\"background\":true,\"webhook\":\"" + receiver.url() + "\"}")).get("run_id").asText();
            receiver.await(1, Duration.ofSeconds(10));
            WebhookDelivery claimed = nodeA.storage().webhooks().forRun(runId).getFirst();
            assertThat(claimed.status()).isEqualTo(WebhookDelivery.PENDING);
            assertThat(claimed.claimedBy()).isNotNull();
        }

        // Node B, on the same file, finds the lapsed claim and delivers the same delivery.
        try (TestServer nodeB = TestServer.builder().folder(folder).customize(b -> b.webhooks(shortClaim)).start()) {
            List<WebhookReceiver.Received> got = receiver.await(2, Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                nodeB.storage().webhooks().forRun(runId).getFirst().status().equals(WebhookDelivery.DELIVERED));

            assertThat(got).hasSize(2);
            assertThat(got.get(1).header("X-Agentstream-Delivery")).isEqualTo(got.get(0).header("X-Agentstream-Delivery"));
            assertThat(got.get(1).json().get("status").asText()).isEqualTo("COMPLETED");
            assertThat(nodeB.storage().webhooks().forRun(runId).getFirst().attempts()).isEqualTo(1);
        }
    }
}
