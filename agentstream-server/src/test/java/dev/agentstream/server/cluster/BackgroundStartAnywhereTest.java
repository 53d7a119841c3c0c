package dev.agentstream.server.cluster;

import static dev.agentstream.server.testing.SseStream.names;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.server.testing.NodeProcess;
import dev.agentstream.server.testing.SharedServices;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ScriptedOpenAiServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A run id a background start hands out is good on every node at once: a client balanced to the
 * other node for its very next request (follow, read) finds the run, as a load balancer without
 * sticky sessions would send it.
 */
@Timeout(120)
class BackgroundStartAnywhereTest {

    static SharedServices services;
    static ScriptedOpenAiServer upstream;
    static NodeProcess nodeA;
    static NodeProcess nodeB;

    @BeforeAll
    static void startTwoNodes() {
        services = SharedServices.require();
        upstream = ScriptedOpenAiServer.start();
        nodeA = NodeProcess.start("bg-a", env("bg-node-a"));
        nodeB = NodeProcess.start("bg-b", env("bg-node-b"));
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

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {nodeA, nodeB, upstream, services}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void theOtherNodeFollowsABackgroundRunRightAfterItsStartIsAnswered() {
        for (int i = 0; i < 20; i++) {
            upstream.enqueue(Script.text("one ", "two ", "three").chunkDelay(Duration.ofMillis(20)));
            HttpResponse<String> started = nodeA.post("/v1/agents/assistant/runs",
                "{\"message\":\"go " + i + "\",\"background\":true}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String runId = NodeProcess.json(started).get("run_id").asText();

            try (SseStream onB = nodeB.stream("GET", "/v1/runs/" + runId + "/events", null)) {
                assertThat(onB.status()).as("follow on the other node, run %d", i).isEqualTo(200);
                List<SseStream.Frame> frames = onB.rest();
                assertThat(names(frames)).first().isEqualTo("RunStarted");
                assertThat(names(frames)).last().isEqualTo("RunCompleted");
                assertThat(frames.stream().map(SseStream.Frame::seq).toList())
                    .isEqualTo(LongStream.rangeClosed(1, frames.size()).boxed().toList());
                assertThat(frames.getLast().json().get("content").asText()).isEqualTo("one two three");
            }
        }
    }
}
