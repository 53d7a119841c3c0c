package dev.agentstream.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.event.RunStatus;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ShutdownTest {

    @Test
    void closingTheServerEndsOpenStreamsWithRunCancelledAndStoresTheRunsAsInterrupted() {
        TestServer server = TestServer.builder().wordDelay(Duration.ofMillis(10)).start();
        String sessionId = "s-shutdown";
        try (SseStream running = server.run("{\"message\":\"story 500\",\"session_id\":\"" + sessionId + "\"}");
             SseStream waiting = server.run("{\"message\":\"next\",\"session_id\":\"" + sessionId
                 + "\",\"multitask\":\"enqueue\"}")) {
            String runId = running.until("RunContent").getFirst().json().get("run_id").asText();

            server.server().close();

            List<SseStream.Frame> rest = running.rest();
            assertThat(SseStream.names(rest).getLast()).isEqualTo("RunCancelled");
            assertThat(rest.getLast().json().get("reason").asText()).isEqualTo("shutdown");
            List<SseStream.Frame> queued = waiting.rest();
            assertThat(SseStream.names(queued)).containsExactly("RunStarted", "RunCancelled");
            assertThat(server.storage().store().findRun(runId).orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(server.storage().store().findRun(queued.getFirst().json().get("run_id").asText()).orElseThrow()
                .status()).isEqualTo(RunStatus.INTERRUPTED);
        } finally {
            server.close();
        }
    }
}
