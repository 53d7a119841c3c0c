package dev.agentstream.server.wire.v1;

import static dev.agentstream.server.testing.SseStream.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class BackgroundRunTest {

    @RegisterExtension
    static final TestServer server = TestServer.builder().wordDelay(Duration.ofMillis(10)).shared();

    private static JsonNode background(String message) {
        HttpResponse<String> response = server.post("/v1/agents/assistant/runs",
            "{\"message\":\"" + message + "\",\"background\":true}");
        assertThat(response.statusCode()).isEqualTo(202);
        return TestServer.json(response);
    }

    private static void assertSeqsFrom(List<SseStream.Frame> frames, long first) {
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i).seq()).isEqualTo(first + i);
        }
    }

    @Test
    void aBackgroundRunAnswers202AndItsEventsCanBeFollowedFromTheStart() {
        JsonNode accepted = background("story 40");

        assertThat(accepted.get("run_id").asText()).isNotBlank();
        assertThat(accepted.get("session_id").asText()).isNotBlank();
        assertThat(accepted.get("status").asText()).isIn("PENDING", "RUNNING");
        try (SseStream events = server.getStream("/v1/runs/" + accepted.get("run_id").asText() + "/events")) {
            List<SseStream.Frame> frames = events.rest();

            assertThat(names(frames).getFirst()).isEqualTo("RunStarted");
            assertThat(names(frames).getLast()).isEqualTo("RunCompleted");
            assertSeqsFrom(frames, 1);
        }
    }

    @Test
    void afterGivesTheEventsAfterThatSeqOnly() {
        String runId = background("story 20").get("run_id").asText();
        try (SseStream all = server.getStream("/v1/runs/" + runId + "/events")) {
            all.rest();
        }

        try (SseStream tail = server.getStream("/v1/runs/" + runId + "/events?after=5")) {
            List<SseStream.Frame> frames = tail.rest();

            assertThat(frames.getFirst().seq()).isEqualTo(6);
            assertSeqsFrom(frames, 6);
            assertThat(names(frames).getLast()).isEqualTo("RunCompleted");
        }
    }

    @Test
    void eventsOfAnEndedRunAreReplayedAndTheStreamEnds() {
        JsonNode run = TestServer.json(server.post("/v1/agents/assistant/runs", "{\"message\":\"story 5\",\"stream\":false}"));
        long lastSeq = run.get("last_seq").asLong();

        try (SseStream events = server.getStream("/v1/runs/" + run.get("run_id").asText() + "/events")) {
            List<SseStream.Frame> frames = events.rest();

            assertThat(frames).hasSize((int) lastSeq);
            assertThat(events.ended()).isTrue();
        }
        try (SseStream none = server.getStream("/v1/runs/" + run.get("run_id").asText() + "/events",
            "Last-Event-ID", Long.toString(lastSeq))) {
            assertThat(none.rest()).isEmpty();
            assertThat(none.ended()).isTrue();
        }
    }

    @Test
    void eventsOfARunNoLongerInMemoryAreReplayedFromTheStore() {
        try (TestServer shortMemory = TestServer.builder()
            .customize(b -> b.retention(Duration.ofMillis(1)))
            .start()) {
            JsonNode run = TestServer.json(shortMemory.post("/v1/agents/assistant/runs",
                "{\"message\":\"story 7\",\"stream\":false}"));
            String runId = run.get("run_id").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> shortMemory.server().runtime().find(runId).isEmpty());

            try (SseStream events = shortMemory.getStream("/v1/runs/" + runId + "/events?after=2")) {
                List<SseStream.Frame> frames = events.rest();

                assertSeqsFrom(frames, 3);
                assertThat(frames.getLast().seq()).isEqualTo(run.get("last_seq").asLong());
                assertThat(names(frames).getLast()).isEqualTo("RunCompleted");
            }
            assertThat(shortMemory.getJson("/v1/runs/" + runId, 200).get("content").asText())
                .isEqualTo(run.get("content").asText());
            JsonNode tool = TestServer.json(shortMemory.post("/v1/agents/assistant/runs",
                "{\"message\":\"calculate 1+2\",\"stream\":false}"));
            String toolRunId = tool.get("run_id").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> shortMemory.server().runtime().find(toolRunId).isEmpty());
            JsonNode stored = shortMemory.getJson("/v1/runs/" + toolRunId, 200);
            assertThat(stored.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(stored.get("tools").get(0).get("tool_args").get("expression").asText()).isEqualTo("1+2");
            assertThat(stored.get("tools").get(0).get("result").asText()).isEqualTo("3");
        }
    }

    @Test
    void aFollowerOfARunningBackgroundRunGetsLiveEventsAndHeartbeatsEndWithTheRun() {
        String runId = background("story 30").get("run_id").asText();
        try (SseStream first = server.getStream("/v1/runs/" + runId + "/events")) {
            List<SseStream.Frame> head = first.until("RunContent");
            long seen = head.getLast().seq();
            first.close();

            try (SseStream second = server.getStream("/v1/runs/" + runId + "/events", "Last-Event-ID", Long.toString(seen))) {
                List<SseStream.Frame> rest = second.rest();
                assertSeqsFrom(rest, seen + 1);
                assertThat(names(rest).getLast()).isEqualTo("RunCompleted");
            }
        }
    }
}
