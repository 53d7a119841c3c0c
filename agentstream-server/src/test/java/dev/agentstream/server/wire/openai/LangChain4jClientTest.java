package dev.agentstream.server.wire.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.event.RunStatus;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.server.testing.Upstream;
import dev.agentstream.testkit.RecordedRequest;
import dev.agentstream.testkit.Script;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** LangChain4j's own OpenAI chat models, pointed at agentstream's {@code /v1}, as any Java app would use them. */
@Timeout(30)
class LangChain4jClientTest {

    static final Upstream upstream = new Upstream();
    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .apiKeys("alice:key-alice")
        .agent(upstream.agent("scripted").build())
        .shared();

    @AfterAll
    static void stop() {
        upstream.close();
    }

    private static String baseUrl() {
        return server.uri("/v1").toString();
    }

    private static OpenAiStreamingChatModel streaming(String agentId) {
        return OpenAiStreamingChatModel.builder().baseUrl(baseUrl()).apiKey("key-alice").modelName(agentId)
            .returnThinking(true).timeout(Duration.ofSeconds(20)).build();
    }

    private static OpenAiChatModel blocking(String agentId, String key) {
        return OpenAiChatModel.builder().baseUrl(baseUrl()).apiKey(key).modelName(agentId).maxRetries(0)
            .timeout(Duration.ofSeconds(20)).build();
    }

    private static JsonNode run(String completionId) {
        return server.getJson("/v1/runs/" + completionId.substring("chatcmpl-".length()), 200,
            "Authorization", "Bearer key-alice");
    }

    /** Collects a streamed answer: text, reasoning and the final response. */
    static class Collector implements StreamingChatResponseHandler {
        final StringBuilder text = new StringBuilder();
        final StringBuilder thinking = new StringBuilder();
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        @Override
        public void onPartialResponse(String partialResponse) {
            text.append(partialResponse);
        }

        @Override
        public void onPartialThinking(PartialThinking partialThinking) {
            thinking.append(partialThinking.text());
        }

        @Override
        public void onCompleteResponse(ChatResponse completeResponse) {
            done.complete(completeResponse);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }
    }

    @Test
    void theStreamingModelGetsTheAgentsAnswerAsItStreamsAndTheRunIsStored() throws Exception {
        Collector collector = new Collector();

        streaming("assistant").chat("story 15", collector);
        ChatResponse response = collector.done.get(20, TimeUnit.SECONDS);

        assertThat(collector.text.toString().trim().split("\\s+")).hasSize(15);
        assertThat(response.aiMessage().text()).isEqualTo(collector.text.toString());
        assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(response.finishReason()).hasToString("STOP");
        JsonNode stored = run(response.id());
        assertThat(stored.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(stored.get("content").asText()).isEqualTo(collector.text.toString());
    }

    @Test
    void theStreamingModelGetsReasoningAsThinkingAndNeverTheAgentsToolCalls() throws Exception {
        Collector thinking = new Collector();
        Collector calculating = new Collector();

        streaming("assistant").chat("think about tides", thinking);
        streaming("assistant").chat("calculate 6*7", calculating);

        assertThat(thinking.done.get(20, TimeUnit.SECONDS).aiMessage().text()).isNotBlank();
        assertThat(thinking.thinking.toString()).contains("tides");
        ChatResponse calculated = calculating.done.get(20, TimeUnit.SECONDS);
        assertThat(calculated.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(calculated.aiMessage().text()).contains("42");
    }

    @Test
    void theBlockingModelGetsOneCompletionWithTheConversationAsHistory() {
        upstream.server.enqueue(Script.text("Blue, ", "mostly."));
        int before = upstream.server.requests().size();

        ChatResponse response = blocking("scripted", "key-alice").chat(SystemMessage.from("Be brief."),
            UserMessage.from("What colour is the sea?"), AiMessage.from("Which sea?"), UserMessage.from("Any."));

        assertThat(response.aiMessage().text()).isEqualTo("Blue, mostly.");
        assertThat(upstream.server.requests().get(before).messages())
            .extracting(m -> m.get("role").asText() + ": " + m.get("content").asText())
            .containsExactly("system: You are a test agent.", "system: Be brief.", "user: What colour is the sea?",
                "assistant: Which sea?", "user: Any.");
        assertThat(run(response.id()).get("status").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void theBlockingModelRaisesLangChain4jsOwnExceptionsForAnUnknownModelOrKey() {
        assertThatThrownBy(() -> blocking("nobody", "key-alice").chat("hi")).isInstanceOf(ModelNotFoundException.class);
        assertThatThrownBy(() -> blocking("assistant", "key-mallory").chat("hi"))
            .isInstanceOf(dev.langchain4j.exception.AuthenticationException.class);
    }

    @Test
    void cancellingTheStreamStopsTheRunStoresThePartialAnswerAndClosesTheUpstream() throws Exception {
        upstream.server.enqueue(Script.text(words(400)).chunkDelay(Duration.ofMillis(20)));
        int index = upstream.server.requests().size();
        CompletableFuture<String> cancelledRun = new CompletableFuture<>();
        StringBuilder seen = new StringBuilder();

        streaming("scripted").chat("talk", new Collector() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                seen.append(partial.text());
                if (seen.length() > 20 && !cancelledRun.isDone()) {
                    String runId = activeRunOf("scripted");
                    // Closes the connection to agentstream, as a client that stops reading would.
                    context.streamingHandle().cancel();
                    cancelledRun.complete(runId);
                }
            }
        });
        String runId = cancelledRun.get(20, TimeUnit.SECONDS);
        RecordedRequest upstreamCall = upstream.server.awaitRequest(index, Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(10))
            .until(() -> server.server().runtime().find(runId).orElseThrow().status() == RunStatus.INTERRUPTED);
        assertThat(upstreamCall.awaitClientClosed(Duration.ofSeconds(10))).isTrue();
        JsonNode stored = server.getJson("/v1/runs/" + runId, 200, "Authorization", "Bearer key-alice");
        assertThat(stored.get("cancel_reason").asText()).isEqualTo("client_disconnected");
        assertThat(stored.get("content").asText()).startsWith(seen.toString()).isNotEqualTo(String.join("", words(400)));
        JsonNode messages = server.getJson("/v1/sessions/" + stored.get("session_id").asText() + "/messages", 200,
            "Authorization", "Bearer key-alice").get("messages");
        assertThat(messages.get(messages.size() - 1).get("interrupted").asBoolean()).isTrue();
    }

    private static String activeRunOf(String agentId) {
        return server.server().runtime().activeRunIds().stream()
            .filter(id -> server.server().runtime().find(id).map(h -> h.agentId().equals(agentId)).orElse(false))
            .findFirst().orElseThrow();
    }

    private static String[] words(int count) {
        String[] words = new String[count];
        for (int i = 0; i < count; i++) {
            words[i] = "w" + i + " ";
        }
        return words;
    }
}
