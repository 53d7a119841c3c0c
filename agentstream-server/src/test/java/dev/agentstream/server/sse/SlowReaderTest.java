package dev.agentstream.server.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.RunHandle;
import dev.agentstream.event.RunStatus;
import dev.agentstream.server.testing.RawHttp;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that reads nothing: its socket (a 1 KiB receive window, never read) fills, the server's
 * write to it blocks, and after the write timeout the server drops it; a reader beside it gets
 * every event as if it were alone.
 */
@Timeout(60)
class SlowReaderTest {

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);
    private static final int TINY_WINDOW = 1024;

    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .wordDelay(Duration.ofMillis(1))
        .customize(b -> b.sseWriteTimeout(WRITE_TIMEOUT))
        .shared();

    @Test
    void aReaderThatReadsNothingIsDroppedAfterTheWriteTimeoutWhileTheOtherReaderGetsEveryEvent() throws Exception {
        double droppedBefore = droppedSlowReaders();
        try (SseStream reader = server.run("{\"message\":\"story 10000\",\"on_disconnect\":\"continue\"}")) {
            SseStream.Frame started = reader.next();
            String runId = started.json().get("run_id").asText();
            try (RawHttp stalled = RawHttp.get(server.server().baseUri(), "/v1/runs/" + runId + "/events", TINY_WINDOW)) {

                List<SseStream.Frame> rest = reader.rest();

                assertThat(SseStream.names(rest)).endsWith("RunCompleted");
                // Every event once, in order, none missing: the stalled reader cost the other nothing.
                long last = rest.getLast().seq();
                assertThat(rest).extracting(SseStream.Frame::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(2, last).boxed().toList());
                await().atMost(Duration.ofSeconds(15)).until(() -> droppedSlowReaders() > droppedBefore);
                // Dropped means closed: what the server had sent ends without the run's end.
                String received = stalled.readUntilClosed(Duration.ofSeconds(10));
                assertThat(received).startsWith("HTTP/1.1 200").doesNotContain("RunCompleted");
            }
        }
        await().until(() -> metric("agentstream_sse_streams_open") == 0);
    }

    @Test
    void aLoneReaderThatReadsNothingIsDroppedAndTheRunsDisconnectPolicyCancelsTheRun() throws Exception {
        try (RawHttp stalled = RawHttp.post(server.server().baseUri(), "/v1/agents/assistant/runs",
            "{\"message\":\"story 10000\",\"on_disconnect\":\"cancel\"}", TINY_WINDOW)) {
            String runId = await().until(() -> server.server().runtime().activeRunIds(), ids -> ids.size() == 1).getFirst();
            RunHandle run = server.server().runtime().find(runId).orElseThrow();

            await().atMost(Duration.ofSeconds(20)).until(() -> run.status().isFinal());

            assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(run.output().cancelReason()).isEqualTo("client_disconnected");
            assertThat(run.output().content()).isNotEmpty();
            await().until(() -> server.storage().store().findRun(runId).orElseThrow().status() == RunStatus.INTERRUPTED);
        }
    }

    private static double droppedSlowReaders() {
        return metric("agentstream_sse_slow_readers_dropped_total");
    }

    private static double metric(String name) {
        return server.get("/metrics").body().lines()
            .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .sum();
    }
}
