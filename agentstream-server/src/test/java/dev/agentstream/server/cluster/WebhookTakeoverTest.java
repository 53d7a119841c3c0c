package dev.agentstream.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.server.testing.NodeProcess;
import dev.agentstream.server.testing.SharedServices;
import dev.agentstream.server.testing.WebhookReceiver;
import dev.agentstream.server.webhook.WebhookSignature;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real server processes on PostgreSQL (and Redis): the node that owns a background run dies
 * with {@code kill -9} while its webhook attempt is unanswered, and the other node delivers it.
 */
@Timeout(120)
class WebhookTakeoverTest {

    static final String SECRET = "a-webhook-secret-of-at-least-32-bytes!";

    static Map<String, String> env(SharedServices services, String nodeId) {
        Map<String, String> env = new HashMap<>();
        env.put("AGENTSTREAM_DB", services.jdbcUrl());
        env.put("AGENTSTREAM_REDIS", SharedServices.REDIS);
        env.put("AGENTSTREAM_NODE_ID", nodeId);
        env.put("AGENTSTREAM_DEMO_DELAY_MS", "5");
        env.put("AGENTSTREAM_WEBHOOK_SECRET", SECRET);
        env.put("AGENTSTREAM_WEBHOOK_LEASE", "2s");
        env.put("AGENTSTREAM_WEBHOOK_TIMEOUT", "1s");
        env.put("AGENTSTREAM_WEBHOOK_BACKOFF", "100ms");
        return env;
    }

    @Test
    void aNodeKilledBeforeItsWebhookWasAnsweredLeavesTheDeliveryToTheOtherNode() throws Exception {
        try (SharedServices services = SharedServices.require();
             WebhookReceiver receiver = WebhookReceiver.start().holdNext();
             NodeProcess nodeA = NodeProcess.start("webhook-a", env(services, "webhook-a"));
             NodeProcess nodeB = NodeProcess.start("webhook-b", env(services, "webhook-b"))) {
            HttpResponse<String> started = nodeA.post("/v1/agents/assistant/runs",
                "{\"message\":\"deliver me\",\"background\":true,\"webhook\":\"" + receiver.url() + "\"}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String runId = NodeProcess.json(started).get("run_id").asText();
            // Either node may claim first: the one whose attempt hangs is killed, the other must deliver.
            receiver.await(1, Duration.ofSeconds(20));
            String claim = services.storedWebhook(runId);
            assertThat(claim).matches("pending 0 webhook-[ab]");
            boolean aClaimed = claim.endsWith("webhook-a");
            NodeProcess survivor = aClaimed ? nodeB : nodeA;

            (aClaimed ? nodeA : nodeB).kill();

            List<WebhookReceiver.Received> got = receiver.await(2, Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(10)).until(() -> "delivered 1 -".equals(services.storedWebhook(runId)));
            WebhookReceiver.Received delivered = got.get(1);
            assertThat(delivered.header("X-Agentstream-Delivery")).isEqualTo(got.get(0).header("X-Agentstream-Delivery"));
            assertThat(new WebhookSignature(SECRET).verify(delivered.body(), delivered.header(WebhookSignature.HEADER)))
                .isTrue();
            assertThat(delivered.json().get("run_id").asText()).isEqualTo(runId);
            assertThat(delivered.json().get("status").asText()).isEqualTo("COMPLETED");
            assertThat(NodeProcess.json(survivor.get("/v1/runs/" + runId)).get("status").asText()).isEqualTo("COMPLETED");
            assertThat(receiver.received()).hasSize(2);
        }
    }

    @Test
    void aRunWhoseNodeIsKilledMidRunIsDeliveredAsInterruptedByTheNodeThatNoticed() throws Exception {
        try (SharedServices services = SharedServices.require();
             WebhookReceiver receiver = WebhookReceiver.start();
             NodeProcess survivor = NodeProcess.start("webhook-s", env(services, "webhook-s"))) {
            String runId;
            try (NodeProcess doomed = NodeProcess.start("webhook-d", env(services, "webhook-d"))) {
                HttpResponse<String> started = doomed.post("/v1/agents/assistant/runs",
                    "{\"message\":\"story 3000\",\"background\":true,\"webhook\":\"" + receiver.url() + "\"}");
                assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
                runId = NodeProcess.json(started).get("run_id").asText();
                await().atMost(Duration.ofSeconds(10)).until(() -> services.hasFlushedAnswer(runId));

                doomed.kill();
            }

            // The survivor sees the dead node's heartbeat expire, interrupts the run and delivers that.
            WebhookReceiver.Received delivered = receiver.await(1, Duration.ofSeconds(20)).getFirst();
            assertThat(new WebhookSignature(SECRET).verify(delivered.body(), delivered.header(WebhookSignature.HEADER)))
                .isTrue();
            assertThat(delivered.json().get("run_id").asText()).isEqualTo(runId);
            assertThat(delivered.json().get("status").asText()).isEqualTo("INTERRUPTED");
            assertThat(delivered.json().get("cancel_reason").asText()).isEqualTo("node_lost");
            assertThat(delivered.json().get("content").asText()).isNotEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> "delivered 1 -".equals(services.storedWebhook(runId)));
        }
    }
}
