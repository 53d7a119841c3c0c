package dev.agentstream.server.wire.v1;

import static dev.agentstream.server.testing.SseStream.names;
import static dev.agentstream.server.testing.SseStream.shape;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class StreamedRunTest {

    @RegisterExtension
    static final TestServer server = TestServer.builder().shared();

    @Test
    void aStreamedRunSendsRunStartedThenContentThenRunCompletedAndEnds() {
        try (SseStream stream = server.run("{\"message\":\"story 12\"}")) {
            List<SseStream.Frame> frames = stream.rest();

            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            assertThat(stream.ended()).isTrue();
            assertThat(shape(frames)).containsExactly("RunStarted", "RunContent*", "RunContentCompleted", "RunCompleted");
            JsonNode started = frames.getFirst().json();
            assertThat(started.get("run_id").asText()).isNotBlank();
            assertThat(started.get("session_id").asText()).isNotBlank();
            assertThat(started.get("event").asText()).isEqualTo("RunStarted");
            String content = frames.stream().filter(f -> f.event().equals("RunContent"))
                .map(f -> f.json().get("content").asText()).reduce("", String::concat);
            assertThat(content.trim().split("\\s+")).hasSize(12);
            assertThat(frames.getLast().json().get("content").asText()).isEqualTo(content);
        }
    }

    @Test
    void idsAreTheSeqsOneToNWithoutGaps() {
        try (SseStream stream = server.run("{\"message\":\"story 8\"}")) {
            List<SseStream.Frame> frames = stream.rest();

            for (int i = 0; i < frames.size(); i++) {
                assertThat(frames.get(i).seq()).isEqualTo(i + 1);
                assertThat(frames.get(i).json().get("seq").asLong()).isEqualTo(i + 1);
                assertThat(frames.get(i).json().get("event").asText()).isEqualTo(frames.get(i).event());
            }
        }
    }

    @Test
    void everyFrameOnTheWireIsIdEventDataAndABlankLine() {
        try (SseStream stream = server.run("{\"message\":\"story 5\"}")) {
            stream.rest();

            String raw = stream.raw().replaceAll("(?m)^:.*\\n(\\n)?", "");
            assertThat(raw).matches("(id: \\d+\\nevent: [A-Za-z]+\\ndata: \\{[^\\n]*\\}\\n\\n)+");
        }
    }

    @Test
    void toolCallsAreStreamedBetweenStartAndTheAnswer() {
        try (SseStream stream = server.run("{\"message\":\"calculate 2+3\"}")) {
            List<SseStream.Frame> frames = stream.rest();

            assertThat(shape(frames)).containsExactly("RunStarted", "ToolCallStarted", "ToolCallCompleted", "RunContent*",
                "RunContentCompleted", "RunCompleted");
            JsonNode completed = frames.get(2).json().get("tool");
            assertThat(completed.get("tool_name").asText()).isEqualTo("calculator");
            assertThat(completed.get("result").asText()).isEqualTo("5");
        }
    }

    @Test
    void aModelErrorEndsTheStreamWithRunError() {
        try (SseStream stream = server.run("{\"message\":\"fail\"}")) {
            List<SseStream.Frame> frames = stream.rest();

            assertThat(names(frames).getFirst()).isEqualTo("RunStarted");
            assertThat(names(frames).getLast()).isEqualTo("RunError");
            assertThat(frames.getLast().json().get("content").asText()).contains("demo model failure");
        }
    }

    @Test
    void aSecondRunInTheSessionSeesTheFirst() {
        String sessionId;
        try (SseStream first = server.run("{\"message\":\"story 3\"}")) {
            sessionId = first.rest().getFirst().json().get("session_id").asText();
        }
        try (SseStream second = server.run("{\"message\":\"hello again\",\"session_id\":\"" + sessionId + "\"}")) {
            List<SseStream.Frame> frames = second.rest();
            assertThat(frames.getFirst().json().get("session_id").asText()).isEqualTo(sessionId);
            assertThat(names(frames).getLast()).isEqualTo("RunCompleted");
        }
        JsonNode messages = server.getJson("/v1/sessions/" + sessionId + "/messages", 200).get("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.get(0).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(1).get("role").asText()).isEqualTo("assistant");
    }

    @Test
    void streamFalseAnswersWithTheFinishedRun() {
        HttpResponse<String> response = server.post("/v1/agents/assistant/runs", "{\"message\":\"story 4\",\"stream\":false}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode run = TestServer.json(response);
        assertThat(run.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(run.get("content").asText().trim().split("\\s+")).hasSize(4);
        assertThat(run.get("last_seq").asLong()).isGreaterThan(3);
        assertThat(server.getJson("/v1/runs/" + run.get("run_id").asText(), 200).get("status").asText())
            .isEqualTo("COMPLETED");
    }

    @Test
    void theRunIsStoredWithItsContent() {
        String runId;
        String content;
        try (SseStream stream = server.run("{\"message\":\"story 6\"}")) {
            List<SseStream.Frame> frames = stream.rest();
            runId = frames.getFirst().json().get("run_id").asText();
            content = frames.getLast().json().get("content").asText();
        }
        JsonNode stored = TestServer.json(server.get("/v1/runs/" + runId));
        assertThat(stored.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(stored.get("content").asText()).isEqualTo(content);
        assertThat(server.storage().store().findRun(runId)).hasValueSatisfying(run ->
            assertThat(run.status().name()).isEqualTo("COMPLETED"));
    }
}
