package dev.agentstream.server.wire.aisdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentstream.Agent;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.testkit.DemoChatModel;
import dev.agentstream.testkit.DemoTools;
import dev.agentstream.tool.ToolPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The AI SDK's own chat client ({@code AbstractChat} + {@code DefaultChatTransport} of the pinned
 * {@code ai} package, what {@code useChat} runs), in Node, against a real server on loopback.
 */
@ExtendWith(NodeChatClient.class)
class AiSdkClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .wordDelay(Duration.ofMillis(10))
        .agent(Agent.builder()
            .id("mailer")
            .model(DemoChatModel.builder().wordDelay(Duration.ofMillis(5)).build())
            .modelName(DemoChatModel.MODEL_NAME)
            .tools(new DemoTools())
            .toolPolicy("send_email", new ToolPolicy(false, List.of(), true))
            .build())
        .shared();

    @Test
    void answerStreamsIntoOneAssistantMessageWithTheRunInItsMetadata() {
        String chatId = chatId();
        JsonNode out = client("stream", chatId, Map.of("text", "story 12"));

        JsonNode assistant = out.at("/result/messages/1");
        assertThat(out.at("/result/status").asText()).isEqualTo("ready");
        assertThat(out.at("/result/messages")).hasSize(2);
        assertThat(assistant.path("text").asText()).isEqualTo(uninterrupted("story 12"));
        assertThat(assistant.at("/metadata/session_id").asText()).isEqualTo(chatId);
        assertThat(assistant.path("id").asText()).isEqualTo(assistant.at("/metadata/run_id").asText());
        assertThat(texts(assistant.path("partTypes"))).containsExactly("step-start", "text");
        assertThat(out.at("/finishes/0/finishReason").asText()).isEqualTo("stop");
    }

    @Test
    void responseCarriesTheUiStreamHeadersAndOneChunkPerFrameEndingWithDone() {
        JsonNode exchange = client("stream", chatId(), Map.of("text", "story 3")).at("/exchanges/0");

        assertThat(exchange.path("status").asInt()).isEqualTo(200);
        assertThat(exchange.at("/headers/content-type").asText()).startsWith("text/event-stream");
        assertThat(exchange.at("/headers/x-vercel-ai-ui-message-stream").asText()).isEqualTo("v1");
        assertThat(exchange.at("/headers/cache-control").asText()).isEqualTo("no-cache");
        assertThat(exchange.at("/headers/x-accel-buffering").asText()).isEqualTo("no");
        assertThat(types(exchange)).containsExactly("start", "start-step", "text-start", "text-delta", "text-delta",
            "text-delta", "text-end", "finish-step", "finish");
        assertThat(exchange.path("body").asText()).endsWith("data: [DONE]\n\n");
    }

    @Test
    void toolCallBecomesAToolPartWithItsOutputBetweenTwoSteps() {
        JsonNode out = client("stream", chatId(), Map.of("text", "calculate 2+3"));

        JsonNode assistant = out.at("/result/messages/1");
        assertThat(texts(assistant.path("partTypes"))).containsExactly("step-start", "tool-calculator", "step-start", "text");
        assertThat(assistant.at("/tools/0/state").asText()).isEqualTo("output-available");
        assertThat(assistant.at("/tools/0/input/expression").asText()).isEqualTo("2+3");
        assertThat(assistant.at("/tools/0/output").asText()).isEqualTo("5");
        assertThat(assistant.path("text").asText()).contains("5");
        assertThat(types(out.at("/exchanges/0"))).containsSubsequence("tool-input-start", "tool-input-delta",
            "tool-input-available", "tool-output-available", "finish-step", "start-step", "text-start");
    }

    @Test
    void stopRouteCancelsTheRunEveryReaderGetsAbortAndThePartialAnswerIsStored() {
        String chatId = chatId();
        JsonNode out = client("stop", chatId, Map.of("text", "story 400"));

        JsonNode result = out.path("result");
        assertThat(result.path("stopStatus").asInt()).isEqualTo(202);
        assertThat(result.at("/stopBody/status").asText()).isEqualTo("CANCELLED");
        assertThat(result.path("status").asText()).isEqualTo("ready");
        assertThat(result.path("error").isNull()).isTrue();
        List<String> types = types(out.at("/exchanges/0"));
        assertThat(types.getLast()).isEqualTo("abort");
        assertThat(types).doesNotContain("finish", "error");
        String seen = result.at("/messages/1/text").asText();
        String stored = storedAnswer(chatId);
        assertThat(seen).isNotEmpty();
        assertThat(stored).isEqualTo(seen);
        assertThat(stored.split(" ").length).isLessThan(400);
        assertThat(server.getJson("/v1/sessions/" + chatId + "/runs", 200).at("/runs/0/status").asText())
            .isEqualTo("CANCELLED");
    }

    @Test
    void abandonedAnswerGoesOnAndAResumeReplaysAllOfItOnceIntoTheSameMessage() {
        JsonNode out = client("resume", chatId(), Map.of("text", "story 60", "wordsBeforeLeaving", 5));

        JsonNode result = out.path("result");
        String whole = uninterrupted("story 60");
        assertThat(whole.startsWith(result.path("seenBeforeLeaving").asText())).isTrue();
        assertThat(result.path("seenBeforeLeaving").asText()).isNotEqualTo(whole);
        for (String reader : List.of("reloaded", "second")) {
            JsonNode messages = result.path(reader).path("messages");
            assertThat(result.path(reader).path("status").asText()).isEqualTo("ready");
            assertThat(messages).hasSize(2);
            assertThat(messages.get(1).path("id").asText()).isEqualTo(result.at("/reloaded/messages/1/id").asText());
            assertThat(messages.get(1).path("text").asText()).isEqualTo(whole);
        }
        List<JsonNode> resumes = exchanges(out, "GET");
        assertThat(resumes).hasSize(2).allSatisfy(resume -> assertThat(resume.path("status").asInt()).isEqualTo(200));
        assertThat(types(resumes.getFirst()).getFirst()).isEqualTo("start");
    }

    @Test
    void resumeOfAChatWithNothingRunningAnswers204AndTheClientStaysReady() {
        String chatId = chatId();
        JsonNode never = client("resumeNothing", chatId, Map.of());
        client("stream", chatId, Map.of("text", "hello"));
        JsonNode after = client("resumeNothing", chatId, Map.of());

        for (JsonNode out : List.of(never, after)) {
            assertThat(out.at("/exchanges/0/status").asInt()).isEqualTo(204);
            assertThat(out.at("/result/status").asText()).isEqualTo("ready");
            assertThat(out.at("/result/messages")).isEmpty();
        }
    }

    @Test
    void approvedToolRunsAndTheSameAssistantMessageGoesOn() {
        JsonNode out = client("approval", chatId(), Map.of("text", "email bob@example.com lunch?", "approve", true));

        JsonNode paused = out.at("/result/paused/messages/1");
        JsonNode done = out.at("/result/done/messages");
        assertThat(paused.at("/tools/0/state").asText()).isEqualTo("approval-requested");
        assertThat(out.at("/finishes/0/finishReason").asText()).isEqualTo("tool-calls");
        assertThat(done).hasSize(2);
        assertThat(done.get(1).path("id").asText()).isEqualTo(paused.path("id").asText());
        assertThat(done.get(1).at("/tools/0/state").asText()).isEqualTo("output-available");
        assertThat(texts(done.get(1).path("partTypes"))).containsExactly("step-start", "tool-send_email", "step-start", "text");
        assertThat(done.get(1).path("text").asText()).contains("was sent");
        assertThat(out.at("/finishes/1/finishReason").asText()).isEqualTo("stop");
        assertThat(types(exchanges(out, "POST").get(0))).containsSubsequence("tool-input-available",
            "tool-approval-request", "finish-step", "finish");
        assertThat(types(exchanges(out, "POST").get(1))).startsWith("start", "tool-output-available", "start-step");
    }

    @Test
    void deniedToolIsNotRunAndTheSameAssistantMessageGoesOn() {
        JsonNode out = client("approval", chatId(), Map.of("text", "email bob@example.com lunch?", "approve", false,
            "reason", "not now"));

        JsonNode done = out.at("/result/done/messages");
        assertThat(done).hasSize(2);
        assertThat(done.get(1).at("/tools/0/state").asText()).isEqualTo("output-denied");
        assertThat(done.get(1).path("text").asText()).contains("not sent");
        assertThat(types(exchanges(out, "POST").get(1))).startsWith("start", "tool-output-denied");
    }

    @Test
    void toolTheClientRunsEndsTheResponseAndItsOutputContinuesTheSameMessage() {
        JsonNode out = NodeChatClient.run(args("clientTool", chatId(), "mailer",
            Map.of("text", "email bob@example.com lunch?", "output", "queued by the browser")));

        JsonNode messages = out.at("/result/messages");
        List<JsonNode> posts = exchanges(out, "POST");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(1).at("/tools/0/state").asText()).isEqualTo("output-available");
        assertThat(messages.get(1).at("/tools/0/output").asText()).isEqualTo("queued by the browser");
        assertThat(messages.get(1).path("text").asText()).contains("was sent");
        assertThat(posts).hasSize(2);
        assertThat(types(posts.get(0))).endsWith("tool-input-available", "finish-step", "finish");
        assertThat(types(posts.get(0))).doesNotContain("tool-approval-request");
    }

    private static JsonNode client(String scenario, String chatId, Map<String, Object> more) {
        return NodeChatClient.run(args(scenario, chatId, "assistant", more));
    }

    private static Map<String, Object> args(String scenario, String chatId, String agent, Map<String, Object> more) {
        Map<String, Object> args = new LinkedHashMap<>(more);
        args.put("scenario", scenario);
        args.put("base", server.server().baseUri().toString());
        args.put("agent", agent);
        args.put("chatId", chatId);
        return args;
    }

    private static String chatId() {
        return "chat-" + UUID.randomUUID();
    }

    /** What one uninterrupted run answers to {@code message}, through the native API. */
    private static String uninterrupted(String message) {
        return TestServer.json(server.post("/v1/agents/assistant/runs", "{\"message\":\"" + message + "\",\"stream\":false}"))
            .path("content").asText();
    }

    private static String storedAnswer(String chatId) {
        for (JsonNode message : server.getJson("/v1/sessions/" + chatId + "/messages", 200).path("messages")) {
            if (message.path("role").asText().equals("assistant")) {
                return message.path("content").asText();
            }
        }
        throw new AssertionError("no stored answer in " + chatId);
    }

    private static List<JsonNode> exchanges(JsonNode out, String method) {
        List<JsonNode> found = new ArrayList<>();
        out.path("exchanges").forEach(e -> {
            if (e.path("method").asText().equals(method)) {
                found.add(e);
            }
        });
        return found;
    }

    /** The chunk types of a recorded response body, in order. */
    static List<String> types(JsonNode exchange) {
        List<String> types = new ArrayList<>();
        for (String line : exchange.path("body").asText().split("\n")) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                try {
                    types.add(JSON.readTree(line.substring(6)).path("type").asText());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return types;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
