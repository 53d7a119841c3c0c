package dev.agentstream.server.cluster;

import static dev.agentstream.server.testing.SseStream.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.server.testing.NodeProcess;
import dev.agentstream.server.testing.SharedServices;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.testkit.RecordedRequest;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ScriptedOpenAiServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real server processes on loopback ports, sharing PostgreSQL and Redis, driven by real HTTP
 * clients: what one node starts, the other stops, streams and recovers.
 */
@Timeout(120)
class TwoNodesTest {

    static SharedServices services;
    static ScriptedOpenAiServer upstream;
    static NodeProcess nodeA;
    static NodeProcess nodeB;

    @BeforeAll
    static void startTwoNodes() {
        services = SharedServices.require();
        upstream = ScriptedOpenAiServer.start();
        nodeA = NodeProcess.start("a", env("node-a"));
        nodeB = NodeProcess.start("b", env("node-b"));
    }

    static Map<String, String> env(String nodeId) {
        Map<String, String> env = new HashMap<>();
        env.put("AGENTSTREAM_DB", services.jdbcUrl());
        env.put("AGENTSTREAM_REDIS", SharedServices.REDIS);
        env.put("AGENTSTREAM_NODE_ID", nodeId);
        env.put("AGENTSTREAM_MODEL", "openai:gpt-test");
        env.put("OPENAI_BASE_URL", upstream.baseUrl());
        env.put("OPENAI_API_KEY", "test-key");
        return env;
    }

    static Map<String, String> withDb(Map<String, String> env, SharedServices db) {
        env.put("AGENTSTREAM_DB", db.jdbcUrl());
        return env;
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {nodeA, nodeB, upstream, services}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static String[] words(int n) {
        String[] words = new String[n];
        for (int i = 0; i < n; i++) {
            words[i] = "w" + i + " ";
        }
        return words;
    }

    @Test
    void aCancelSentToOneNodeStopsTheRunOnTheOtherAndClosesItsUpstream() {
        int index = upstream.requests().size();
        upstream.enqueue(Script.text(words(400)).chunkDelay(Duration.ofMillis(20)));
        try (SseStream onA = nodeA.stream("POST", "/v1/agents/assistant/runs", "{\"message\":\"go\"}")) {
            String runId = onA.until("RunContent").getFirst().json().get("run_id").asText();

            HttpResponse<String> cancel = nodeB.post("/v1/runs/" + runId + "/cancel", "");

            assertThat(cancel.statusCode()).isEqualTo(202);
            List<SseStream.Frame> rest = onA.rest();
            assertThat(names(rest).getLast()).isEqualTo("RunCancelled");
            assertThat(rest.getLast().json().get("reason").asText()).isEqualTo("cancelled");
            RecordedRequest request = upstream.awaitRequest(index, Duration.ofSeconds(5));
            assertThat(request.awaitClientClosed(Duration.ofSeconds(5))).isTrue();
            assertThat(NodeProcess.json(nodeB.get("/v1/runs/" + runId)).get("status").asText()).isEqualTo("CANCELLED");
        }
    }

    @Test
    void aKilledNodesRunIsInterruptedWithinTheHeartbeatTtlAndItsReaderOnAnotherNodeGetsAnEnd() {
        upstream.enqueue(Script.text(words(2000)).chunkDelay(Duration.ofMillis(20)));
        try (NodeProcess nodeC = NodeProcess.start("c", env("node-c"));
             SseStream onC = nodeC.stream("POST", "/v1/agents/assistant/runs", "{\"message\":\"go\"}")) {
            String runId = onC.until("RunContent").getFirst().json().get("run_id").asText();
            try (SseStream onB = nodeB.stream("GET", "/v1/runs/" + runId + "/events", null)) {
                onB.until("RunContent");
                await().atMost(Duration.ofSeconds(10)).until(() -> services.hasFlushedAnswer(runId));

                long killedAt = System.nanoTime();
                nodeC.kill();
                List<SseStream.Frame> rest = onB.until("RunCancelled");
                Duration toEnd = Duration.ofNanos(System.nanoTime() - killedAt);

                // Default ttl 5 s, one check a second; the rest is slack for a loaded machine.
                assertThat(toEnd).isLessThan(Duration.ofSeconds(5 + 1 + 2));
                assertThat(rest.getLast().json().get("reason").asText()).isEqualTo("node_lost");
                var run = NodeProcess.json(nodeB.get("/v1/runs/" + runId));
                assertThat(run.get("status").asText()).isEqualTo("INTERRUPTED");
                assertThat(run.get("content").asText()).startsWith("w0 w1 ");
            }
        }
    }

    @Test
    void aNodeRestartedUnderItsIdInterruptsTheRunsItLeftRunningAtOnce() throws Exception {
        // Alone on a database of its own: no Redis, so no other node can find it dead.
        Map<String, String> alone = env("node-solo");
        alone.remove("AGENTSTREAM_REDIS");
        upstream.enqueue(Script.text(words(2000)).chunkDelay(Duration.ofMillis(20)));
        try (SharedServices own = SharedServices.require();
             NodeProcess solo = NodeProcess.start("solo", withDb(alone, own));
             SseStream stream = solo.stream("POST", "/v1/agents/assistant/runs", "{\"message\":\"go\"}")) {
            String runId = stream.until("RunContent").getFirst().json().get("run_id").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> own.hasFlushedAnswer(runId));
            solo.kill();
            assertThat(own.storedStatus(runId)).isEqualTo("RUNNING");

            solo.restart();

            // Long before the 30 s lease would have expired.
            var run = NodeProcess.json(solo.get("/v1/runs/" + runId));
            assertThat(run.get("status").asText()).isEqualTo("INTERRUPTED");
            assertThat(run.get("content").asText()).startsWith("w0 ");
        }
    }
}
