package dev.agentstream.server.cluster;

import static dev.agentstream.server.testing.SseStream.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.testing.NodeProcess;
import dev.agentstream.server.testing.RedisProcess;
import dev.agentstream.server.testing.SharedServices;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ScriptedOpenAiServer;
import dev.agentstream.testkit.ToolCall;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real server processes sharing PostgreSQL and a Redis of the test's own, which the test kills
 * and starts again on the same port: local runs go on, operations across nodes answer 503 while it
 * is away, and everything works again once it is back, without restarting a node.
 */
@Timeout(120)
class RedisOutageTest {

    static SharedServices services;
    static ScriptedOpenAiServer upstream;
    static RedisProcess redis;
    static NodeProcess nodeA;
    static NodeProcess nodeB;

    @BeforeAll
    static void startTwoNodesOnTheirOwnRedis() {
        services = SharedServices.require();
        upstream = ScriptedOpenAiServer.start();
        redis = RedisProcess.start();
        nodeA = NodeProcess.start("outage-a", NodeProcess.clusterEnv("outage-a", services.jdbcUrl(), redis.url(), upstream.baseUrl()));
        nodeB = NodeProcess.start("outage-b", NodeProcess.clusterEnv("outage-b", services.jdbcUrl(), redis.url(), upstream.baseUrl()));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {nodeA, nodeB, redis, upstream, services}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static JsonNode health(NodeProcess node) {
        return NodeProcess.json(node.get("/health"));
    }

    static boolean redisIs(String state) {
        return health(nodeA).path("redis").asText().equals(state) && health(nodeB).path("redis").asText().equals(state);
    }

    static void assertRefusedUntilRedisIsBack(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
        JsonNode error = NodeProcess.json(answer).get("error");
        assertThat(error.get("code").asText()).isEqualTo("cluster_unavailable");
        assertThat(error.get("message").asText()).contains("Redis");
    }

    @Test
    void whileRedisIsDownLocalRunsStreamAndPersistCrossNodeOperationsAnswer503AndItAllWorksAgainOnceItIsBack()
            throws Exception {
        upstream.enqueue(Script.toolCalls(ToolCall.of("call_mail", "send_email",
            "{\"to\":\"bob@example.com\",\"subject\":\"lunch\",\"body\":\"tomorrow?\"}")));
        JsonNode pause;
        try (SseStream paused = nodeA.stream("POST", "/v1/agents/assistant/runs", "{\"message\":\"email bob\"}")) {
            pause = paused.rest().getLast().json();
        }
        String pausedId = pause.get("run_id").asText();
        String decisions = "{\"stream\":false,\"tools\":[{\"tool_call_id\":\""
            + pause.get("requirements").get(0).get("tool_call_id").asText() + "\",\"confirmed\":true}]}";
        upstream.enqueue(Script.text(TwoNodesTest.words(100)).chunkDelay(Duration.ofMillis(20)));
        try (SseStream local = nodeA.stream("POST", "/v1/agents/assistant/runs", "{\"message\":\"go\"}")) {
            String runId = local.until("RunContent").getFirst().json().get("run_id").asText();

            redis.kill();
            await().atMost(Duration.ofSeconds(10)).until(() -> redisIs("down"));

            assertThat(health(nodeB).get("status").asText()).isEqualTo("degraded");
            assertRefusedUntilRedisIsBack(nodeB.post("/v1/runs/" + runId + "/cancel", ""));
            assertRefusedUntilRedisIsBack(nodeB.get("/v1/runs/" + runId + "/events"));
            assertRefusedUntilRedisIsBack(nodeB.post("/v1/runs/" + pausedId + "/continue", decisions));
            List<SseStream.Frame> rest = local.rest();
            assertThat(names(rest).getLast()).isEqualTo("RunCompleted");
            assertThat(services.storedStatus(runId)).isEqualTo("COMPLETED");
            assertThat(NodeProcess.json(nodeB.get("/v1/runs/" + runId)).get("content").asText())
                .isEqualTo(String.join("", TwoNodesTest.words(100)));
        }

        upstream.enqueue(Script.text(TwoNodesTest.words(1500)).chunkDelay(Duration.ofMillis(20)));
        try (SseStream spanning = nodeA.stream("POST", "/v1/agents/assistant/runs", "{\"message\":\"go\"}")) {
            String runId = spanning.until("RunContent").getFirst().json().get("run_id").asText();
            redis.restart();
            // As soon as node B is back: node A may still be reconnecting, the cancel waits for it in Redis.
            await().atMost(Duration.ofSeconds(10)).until(() -> health(nodeB).path("redis").asText().equals("up"));

            HttpResponse<String> cancel = nodeB.post("/v1/runs/" + runId + "/cancel", "");

            assertThat(cancel.statusCode()).isEqualTo(202);
            List<SseStream.Frame> rest = spanning.rest();
            assertThat(names(rest).getLast()).isEqualTo("RunCancelled");
            assertThat(rest.getLast().json().get("reason").asText()).isEqualTo("cancelled");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> redisIs("up"));
        upstream.enqueue(Script.text("Sent."));
        HttpResponse<String> continued = nodeB.post("/v1/runs/" + pausedId + "/continue", decisions);
        assertThat(continued.statusCode()).isEqualTo(200);
        assertThat(services.storedRun(pausedId)).containsEntry("status", "COMPLETED").containsEntry("owner_node", "outage-b");
    }
}
