package dev.agentstream.testkit;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.FinishReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The same scripts answered to LangChain4j's blocking OpenAiChatModel ({@code "stream": false}). */
class ScriptedOpenAiServerNonStreamingTest {

    private ScriptedOpenAiServer server;
    private OpenAiChatModel model;

    @BeforeEach
    void start() {
        server = ScriptedOpenAiServer.start();
        model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key").modelName("gpt-test")
                .returnThinking(true).maxRetries(0).timeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void theWholeTextReasoningAndUsageComeBackInOneResponse() {
        server.enqueue(Script.builder().reasoning("Thinking ", "hard.").text("Hel", "lo").usage(5, 2).build());

        ChatResponse response = model.chat(UserMessage.from("hi"));

        assertThat(response.aiMessage().text()).isEqualTo("Hello");
        assertThat(response.aiMessage().thinking()).isEqualTo("Thinking hard.");
        assertThat(response.tokenUsage().totalTokenCount()).isEqualTo(7);
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(server.requests().getFirst().streaming()).isFalse();
    }

    @Test
    void toolCallsComeBackAsToolExecutionRequests() {
        server.enqueue(Script.toolCalls(ToolCall.of("call_9", "send_email", "{\"to\":\"bob@example.com\"}")));

        ChatResponse response = model.chat(UserMessage.from("mail bob"));

        assertThat(response.aiMessage().toolExecutionRequests()).containsExactly(ToolExecutionRequest.builder()
                .id("call_9").name("send_email").arguments("{\"to\":\"bob@example.com\"}").build());
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    }

    @Test
    void aRateLimitIsThrownAsRateLimitException() {
        server.enqueue(Script.rateLimited());

        assertThatThrownBy(() -> model.chat(UserMessage.from("hi"))).isInstanceOf(RateLimitException.class);
    }
}
