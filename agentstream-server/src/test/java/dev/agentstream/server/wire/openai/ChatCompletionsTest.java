package dev.agentstream.server.wire.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.server.testing.Upstream;
import dev.agentstream.testkit.Script;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The chat-completions wire format as bytes on the wire, read with a plain HTTP client. */
@Timeout(30)
class ChatCompletionsTest {

    static final String[] ALICE = {"Authorization", "Bearer key-alice"};
    static final String[] BOB = {"Authorization", "Bearer key-bob"};
    static final Upstream upstream = new Upstream();
    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .apiKeys("alice:key-alice,bob:key-bob")
        .agent(upstream.agent("scripted").build())
        .shared();

    @AfterAll
    static void stop() {
        upstream.close();
    }

    private static String body(String model, String text, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
            + text + "\"}]}";
    }

    private static SseStream stream(String json, String... headers) {
        return server.postStream("/v1/chat/completions", json, headers);
    }

    private static List<JsonNode> chunks(List<SseStream.Frame> frames) {
        return frames.stream().filter(f -> !f.data().equals("[DONE]")).map(SseStream.Frame::json).toList();
    }

    private static String content(List<JsonNode> chunks, String field) {
        StringBuilder text = new StringBuilder();
        chunks.stream().filter(c -> c.has("choices") && !c.get("choices").isEmpty())
            .map(c -> c.get("choices").get(0).get("delta").get(field))
            .filter(v -> v != null)
            .forEach(v -> text.append(v.asText()));
        return text.toString();
    }

    @Test
    void theModelsAreTheAgentsAndTeamsInOpenAisListShape() {
        JsonNode list = server.getJson("/v1/models", 200, ALICE);

        assertThat(list.get("object").asText()).isEqualTo("list");
        assertThat(list.get("data")).extracting(m -> m.get("id").asText()).containsExactlyInAnyOrder("assistant", "scripted");
        assertThat(list.get("data")).allSatisfy(m -> {
            assertThat(m.get("object").asText()).isEqualTo("model");
            assertThat(m.get("created").asLong()).isPositive();
            assertThat(m.get("owned_by").asText()).isEqualTo("agentstream");
        });
        assertThat(server.getJson("/v1/models/assistant", 200, ALICE).get("id").asText()).isEqualTo("assistant");
    }

    @Test
    void aStreamIsDataOnlyChunksWithOneIdThenFinishReasonThenUsageThenDone() {
        List<SseStream.Frame> frames;
        String sessionId;
        try (SseStream stream = stream("{\"model\":\"assistant\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"story 12\"}]}", ALICE)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            sessionId = stream.response().headers().firstValue("X-Session-Id").orElseThrow();
            frames = stream.rest();
        }

        assertThat(frames).allSatisfy(f -> assertThat(f.id()).isNull());
        assertThat(frames).allSatisfy(f -> assertThat(f.event()).isNull());
        assertThat(frames.getLast().data()).isEqualTo("[DONE]");
        List<JsonNode> chunks = chunks(frames);
        assertThat(chunks).extracting(c -> c.get("id").asText()).containsOnly(chunks.getFirst().get("id").asText());
        assertThat(chunks).extracting(c -> c.get("created").asLong()).containsOnly(chunks.getFirst().get("created").asLong());
        assertThat(chunks).extracting(c -> c.get("model").asText()).containsOnly("assistant");
        assertThat(chunks).extracting(c -> c.get("object").asText()).containsOnly("chat.completion.chunk");
        assertThat(chunks.getFirst().get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
        JsonNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = chunks.getLast();
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.get("usage").get("total_tokens").asLong())
            .isEqualTo(usage.get("usage").get("prompt_tokens").asLong() + usage.get("usage").get("completion_tokens").asLong());
        String runId = chunks.getFirst().get("id").asText().substring("chatcmpl-".length());
        JsonNode stored = server.getJson("/v1/runs/" + runId, 200, ALICE);
        assertThat(stored.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(stored.get("session_id").asText()).isEqualTo(sessionId);
        assertThat(content(chunks, "content")).isEqualTo(stored.get("content").asText());
        assertThat(content(chunks, "content").trim().split("\\s+")).hasSize(12);
    }

    @Test
    void withoutIncludeUsageTheFinishChunkIsLastBeforeDone() {
        List<SseStream.Frame> frames;
        try (SseStream stream = stream(body("assistant", "story 3", true), ALICE)) {
            frames = stream.rest();
        }

        List<JsonNode> chunks = chunks(frames);
        assertThat(chunks).noneMatch(c -> c.has("usage"));
        assertThat(chunks.getLast().get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void reasoningIsStreamedAsReasoningContentAndToolsStayInside() {
        List<JsonNode> thinking;
        List<JsonNode> calculating;
        try (SseStream stream = stream(body("assistant", "think about rivers", true), ALICE)) {
            thinking = chunks(stream.rest());
        }
        try (SseStream stream = stream(body("assistant", "calculate 2+3", true), ALICE)) {
            calculating = chunks(stream.rest());
        }

        assertThat(content(thinking, "reasoning_content")).contains("rivers");
        assertThat(content(thinking, "content")).isNotBlank();
        assertThat(content(calculating, "content")).contains("5");
        assertThat(calculating).allSatisfy(c -> assertThat(c.toString()).doesNotContain("tool_calls"));
    }

    @Test
    void aNonStreamedCompletionIsOneChatCompletionWithUsageAndTheSessionHeader() {
        HttpResponse<String> response = server.post("/v1/chat/completions", body("assistant", "story 5", false), ALICE);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode completion = TestServer.json(response);
        assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.get("model").asText()).isEqualTo("assistant");
        JsonNode choice = completion.get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText().trim().split("\\s+")).hasSize(5);
        assertThat(completion.get("usage").has("prompt_tokens")).isTrue();
        String sessionId = response.headers().firstValue("X-Session-Id").orElseThrow();
        assertThat(server.getJson("/v1/sessions/" + sessionId + "/runs", 200, ALICE).toString())
            .contains(completion.get("id").asText().substring("chatcmpl-".length()));
    }

    @Test
    void theEarlierMessagesAreTheHistoryAndTheLastUserMessageIsTheInput() {
        upstream.server.enqueue(Script.text("Paris."));
        int before = upstream.server.requests().size();

        HttpResponse<String> response = server.post("/v1/chat/completions", "{\"model\":\"scripted\",\"messages\":["
            + "{\"role\":\"system\",\"content\":\"Answer briefly.\"},"
            + "{\"role\":\"user\",\"content\":\"Hi\"},"
            + "{\"role\":\"assistant\",\"content\":\"Hello!\"},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Capital of \"},{\"type\":\"text\",\"text\":\"France?\"}]}]}",
            ALICE);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(TestServer.json(response).get("choices").get(0).get("message").get("content").asText()).isEqualTo("Paris.");
        assertThat(upstream.server.requests().get(before).messages())
            .extracting(m -> m.get("role").asText() + ": " + m.get("content").asText())
            .containsExactly("system: You are a test agent.", "system: Answer briefly.", "user: Hi",
                "assistant: Hello!", "user: Capital of France?");
        String sessionId = response.headers().firstValue("X-Session-Id").orElseThrow();
        JsonNode stored = server.getJson("/v1/sessions/" + sessionId + "/messages", 200, ALICE).get("messages");
        assertThat(stored).extracting(m -> m.get("role").asText()).containsExactly("user", "assistant");
        assertThat(stored.get(0).get("content").asText()).isEqualTo("Capital of France?");
    }

    @Test
    void anXSessionIdHeaderStoresTheRunInThatSession() {
        HttpResponse<String> first = server.post("/v1/chat/completions", body("assistant", "story 2", false), ALICE);
        String sessionId = first.headers().firstValue("X-Session-Id").orElseThrow();

        HttpResponse<String> second = server.post("/v1/chat/completions", body("assistant", "story 3", false),
            ALICE[0], ALICE[1], "X-Session-Id", sessionId);

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("X-Session-Id")).contains(sessionId);
        assertThat(server.getJson("/v1/sessions/" + sessionId + "/runs", 200, ALICE).get("runs")).hasSize(2);
        HttpResponse<String> bobs = server.post("/v1/chat/completions", body("assistant", "story 2", false),
            BOB[0], BOB[1], "X-Session-Id", sessionId);
        assertThat(bobs.statusCode()).isEqualTo(404);
    }

    @Test
    void errorsAreOpenAiErrorBodiesWithTheFittingStatus() {
        assertError(server.post("/v1/chat/completions", body("nobody", "hi", false), ALICE), 404,
            "invalid_request_error", "model_not_found");
        assertError(server.get("/v1/models/nobody", ALICE), 404, "invalid_request_error", "model_not_found");
        assertError(server.post("/v1/chat/completions", body("assistant", "hi", false)), 401,
            "authentication_error", "invalid_api_key");
        assertError(server.get("/v1/models", "Authorization", "Bearer wrong"), 401, "authentication_error",
            "invalid_api_key");
        assertError(server.post("/v1/chat/completions", "{\"model\":\"assistant\"}", ALICE), 400,
            "invalid_request_error", "invalid_value");
        assertError(server.post("/v1/chat/completions", "{\"model\":\"assistant\",\"messages\":[{\"role\":\"assistant\","
            + "\"content\":\"hi\"}]}", ALICE), 400, "invalid_request_error", "invalid_value");
        assertError(server.post("/v1/chat/completions", "not json", ALICE), 400, "invalid_request_error", "invalid_json");
        assertError(server.post("/v1/chat/completions", body("assistant", "hi", false), ALICE[0], ALICE[1],
            "X-Session-Id", "no spaces allowed"), 400, "invalid_request_error", "invalid_session_id");
        assertError(server.get("/v1/chat/completions", ALICE), 405, "invalid_request_error", "method_not_allowed");
    }

    @Test
    void aRunThatPausesForConfirmationIsAnErrorThatNamesTheRunToContinue() {
        HttpResponse<String> response = server.post("/v1/chat/completions",
            body("assistant", "email bob@example.com lunch?", false), ALICE);
        List<JsonNode> chunks;
        try (SseStream stream = stream(body("assistant", "email bob@example.com lunch?", true), ALICE)) {
            chunks = chunks(stream.rest());
        }

        JsonNode error = assertError(response, 409, "invalid_request_error", "run_paused");
        assertThat(response.headers().firstValue("x-should-retry")).contains("false");
        assertThat(error.get("message").asText()).contains("/continue");
        assertThat(chunks.getLast().get("error").get("code").asText()).isEqualTo("run_paused");
    }

    @Test
    void aFailedRunEndsTheStreamWithAnErrorChunk() {
        List<JsonNode> chunks;
        try (SseStream stream = stream(body("assistant", "fail", true), ALICE)) {
            chunks = chunks(stream.rest());
        }

        assertThat(chunks.getLast().get("error").get("type").asText()).isEqualTo("server_error");
        assertThat(chunks.getLast().get("error").get("message").asText()).isNotBlank();
    }

    private static JsonNode assertError(HttpResponse<String> response, int status, String type, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = TestServer.json(response).get("error");
        assertThat(error.get("type").asText()).isEqualTo(type);
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
        return error;
    }
}
