package dev.agentstream.testkit;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Drives the server through LangChain4j's own OpenAiStreamingChatModel: the real wire protocol. */
class ScriptedOpenAiServerStreamingTest {

    private ScriptedOpenAiServer server;

    @BeforeEach
    void startServer() {
        server = ScriptedOpenAiServer.start();
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    private OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder modelBuilder() {
        return OpenAiStreamingChatModel.builder()
                .baseUrl(server.baseUrl())
                .apiKey("test-key")
                .modelName("gpt-test")
                .timeout(Duration.ofSeconds(5));
    }

    private OpenAiStreamingChatModel model() {
        return modelBuilder().build();
    }

    @Test
    void textChunksArriveInOrderAndTheCompleteResponseHasTheWholeTextAndUsage() throws Exception {
        server.enqueue(Script.text("Hel", "lo", " world").usage(7, 3));
        RecordingHandler handler = new RecordingHandler();

        model().chat("Say hello", handler);

        ChatResponse response = handler.awaitResponse();
        assertThat(handler.partials).containsExactly("Hel", "lo", " world");
        assertThat(response.aiMessage().text()).isEqualTo("Hello world");
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(7);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(3);
        assertThat(response.tokenUsage().totalTokenCount()).isEqualTo(10);
        assertThat(handler.failed).isNotDone();
    }

    @Test
    void probeCommentLinesBetweenSlowChunksAreIgnoredByLangChain4j() throws Exception {
        // 60 ms between chunks means several ":" probe comments are written between every two chunks.
        server.enqueue(Script.text("one", " two", " three").chunkDelay(Duration.ofMillis(60)));
        RecordingHandler handler = new RecordingHandler();

        model().chat("count", handler);

        assertThat(handler.awaitResponse().aiMessage().text()).isEqualTo("one two three");
        assertThat(handler.partials).containsExactly("one", " two", " three");
        assertThat(handler.events).noneMatch(event -> event.startsWith("error"));
    }

    @Test
    void streamedToolCallArgumentsAreReassembledIntoTwoToolExecutionRequests() throws Exception {
        server.enqueue(Script.toolCalls(
                ToolCall.of("call_1", "calculator", "{\"expression\":\"2+3\"}"),
                ToolCall.fragmented("call_2", "current_time", "{", "}")));
        RecordingHandler handler = new RecordingHandler();

        model().chat("what is 2+3 and what time is it", handler);

        ChatResponse response = handler.awaitResponse();
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(response.aiMessage().toolExecutionRequests()).containsExactly(
                ToolExecutionRequest.builder().id("call_1").name("calculator")
                        .arguments("{\"expression\":\"2+3\"}").build(),
                ToolExecutionRequest.builder().id("call_2").name("current_time").arguments("{}").build());
        assertThat(handler.partialToolCalls).extracting(p -> p.partialArguments())
                .containsSubsequence("{\"expr", "ession", "\":\"2+3", "\"}", "{", "}");
        assertThat(handler.completeToolCalls).hasSize(2);
    }

    @Test
    void reasoningContentArrivesAsPartialThinkingBeforeTheText() throws Exception {
        server.enqueue(Script.builder().reasoning("Let me ", "think.").text("Answer", ".").build());
        RecordingHandler handler = new RecordingHandler();

        modelBuilder().returnThinking(true).build().chat("think", handler);

        ChatResponse response = handler.awaitResponse();
        assertThat(handler.thinking).containsExactly("Let me ", "think.");
        assertThat(handler.events).startsWith("thinking:Let me ", "thinking:think.", "partial:Answer");
        assertThat(response.aiMessage().thinking()).isEqualTo("Let me think.");
        assertThat(response.aiMessage().text()).isEqualTo("Answer.");
    }

    @Test
    void theRequestBodyIsRecordedWithMessagesToolsAndTheStreamFlag() throws Exception {
        server.enqueue(Script.text("ok"));
        ToolSpecification calculator = ToolSpecification.builder()
                .name("calculator").description("evaluates arithmetic")
                .parameters(JsonObjectSchema.builder().addStringProperty("expression").required("expression").build())
                .build();
        RecordingHandler handler = new RecordingHandler();

        model().chat(ChatRequest.builder().messages(UserMessage.from("compute 1+1")).toolSpecifications(calculator)
                .build(), handler);
        handler.awaitResponse();

        RecordedRequest request = server.awaitRequest(0, RecordingHandler.TIMEOUT);
        assertThat(request.streaming()).isTrue();
        assertThat(request.body().path("model").asText()).isEqualTo("gpt-test");
        assertThat(request.body().path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(request.messages()).singleElement().satisfies(message -> {
            assertThat(message.path("role").asText()).isEqualTo("user");
            assertThat(message.path("content").asText()).isEqualTo("compute 1+1");
        });
        assertThat(request.tools()).singleElement().satisfies(tool -> {
            assertThat(tool.path("type").asText()).isEqualTo("function");
            assertThat(tool.path("function").path("name").asText()).isEqualTo("calculator");
            assertThat(tool.path("function").path("parameters").path("required").get(0).asText())
                    .isEqualTo("expression");
        });
        assertThat(request.awaitOutcome(RecordingHandler.TIMEOUT)).contains(RecordedRequest.Outcome.COMPLETED);
        assertThat(request.clientClosedEarly()).isFalse();
    }

    @Test
    void manyRequestsAreInFlightAtOnceEachWithItsOwnScript() throws Exception {
        int count = 6;
        for (int i = 0; i < count; i++) {
            server.enqueue(Script.text("reply " + i, " never sent").stallAfter(1));
        }
        OpenAiStreamingChatModel model = model();
        List<RecordingHandler> handlers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordingHandler handler = new RecordingHandler();
            handlers.add(handler);
            model.chat("request " + i, handler);
        }

        // Every stream has delivered its first chunk while all of them are still open: they run side by side.
        await().atMost(Duration.ofSeconds(5)).until(() -> handlers.stream().allMatch(h -> h.partials.size() == 1));
        assertThat(server.requests()).hasSize(count).allMatch(request -> request.outcome().isEmpty());
        assertThat(handlers).extracting(RecordingHandler::partialText).doesNotHaveDuplicates()
                .allMatch(text -> text.startsWith("reply "));

        for (RecordingHandler handler : handlers) {
            handler.handle.join().cancel();
        }
        for (RecordedRequest request : server.requests()) {
            assertThat(request.awaitClientClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void theDefaultScriptAnswersWhenTheQueueIsEmpty() throws Exception {
        server.enqueue(Script.text("queued"));
        server.setDefault(Script.text("default"));
        RecordingHandler first = new RecordingHandler();
        RecordingHandler second = new RecordingHandler();

        model().chat("one", first);
        assertThat(first.awaitResponse().aiMessage().text()).isEqualTo("queued");
        model().chat("two", second);

        assertThat(second.awaitResponse().aiMessage().text()).isEqualTo("default");
    }
}
