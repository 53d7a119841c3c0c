package dev.agentstream.server.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.server.testing.Gate;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.server.testing.Upstream;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SSE connection's own behaviour: headers first, heartbeats and probes while a run is silent. */
@Timeout(30)
class SseStreamerTest {

    static final Upstream upstream = new Upstream();
    static final Gate gate = new Gate();
    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .agent(upstream.agent("gated").tools(gate).build())
        .customize(b -> b.heartbeat(Duration.ofMillis(400)).disconnectProbe(Duration.ofMillis(100)))
        .shared();

    @AfterAll
    static void stop() {
        gate.open();
        upstream.close();
    }

    @Test
    void headersAreSentBeforeTheFirstEventExists() {
        String sessionId = "s-" + java.util.UUID.randomUUID();
        try (SseStream running = server.run("{\"message\":\"story 400\",\"session_id\":\"" + sessionId + "\"}")) {
            running.until("RunContent");

            try (SseStream queued = server.run("{\"message\":\"hi\",\"session_id\":\"" + sessionId
                + "\",\"multitask\":\"enqueue\"}")) {

                assertThat(queued.status()).isEqualTo(200);
                assertThat(queued.contentType()).isEqualTo("text/event-stream;charset=utf-8");
                assertThat(queued.response().headers().firstValue("Cache-Control")).contains("no-cache");
                // Only the running run exists in the session: the queued one has not started, yet its headers are here.
                assertThat(server.server().runtime().activeRunIds().stream()
                    .filter(id -> server.server().runtime().find(id).orElseThrow().sessionId().equals(sessionId)))
                    .hasSize(1);
                running.close();
                assertThat(SseStream.names(queued.rest())).startsWith("RunStarted").endsWith("RunCompleted");
            }
        }
    }

    @Test
    void aSilentRunGetsProbeCommentsAndAPingAfterTheHeartbeatInterval() {
        upstream.server.enqueue(Script.toolCalls(ToolCall.of("call_gate", "gate", "{}")));
        try (SseStream stream = server.postStream("/v1/agents/gated/runs", "{\"message\":\"wait\"}")) {
            stream.until("ToolCallStarted");
            long silentSince = System.nanoTime();
            int probes = 0;

            String line;
            while (!(line = stream.nextLine()).equals(": ping")) {
                if (line.equals(":")) {
                    probes++;
                }
            }

            assertThat(probes).isGreaterThanOrEqualTo(2);
            assertThat(Duration.ofNanos(System.nanoTime() - silentSince)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }
}
