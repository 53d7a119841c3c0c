package dev.agentstream.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DemoChatModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DemoChatModel model = DemoChatModel.builder().wordDelay(Duration.ZERO).build();
    private final DemoTools tools = new DemoTools(Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC));

    private RecordingHandler chat(DemoChatModel chatModel, List<ChatMessage> messages) {
        RecordingHandler handler = new RecordingHandler();
        chatModel.chat(ChatRequest.builder().messages(messages).build(), handler);
        return handler;
    }

    private ChatResponse turn(List<ChatMessage> messages) throws Exception {
        return chat(model, messages).awaitResponse();
    }

    private static JsonNode arguments(ToolExecutionRequest call) throws Exception {
        return JSON.readTree(call.arguments());
    }

    @Test
    void storyNStreamsExactlyNWordsOneWordPerPartialResponse() throws Exception {
        RecordingHandler handler = chat(model, List.of(UserMessage.from("story 50")));

        ChatResponse response = handler.awaitResponse();
        assertThat(response.aiMessage().text().split(" ")).hasSize(50);
        assertThat(handler.partials).hasSize(50);
        assertThat(handler.partialText()).isEqualTo(response.aiMessage().text());
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(50);
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(2);
        assertThat(response.modelName()).isEqualTo("agentstream-demo");
    }

    @Test
    void rulesIgnoreCase() throws Exception {
        assertThat(turn(List.of(UserMessage.from("  STORY 3"))).aiMessage().text().split(" ")).hasSize(3);
        assertThat(turn(List.of(UserMessage.from("Calculate 2*3"))).aiMessage().toolExecutionRequests())
                .singleElement().extracting(ToolExecutionRequest::name).isEqualTo("calculator");
    }

    @Test
    void calculateCallsTheCalculatorThenStatesTheResultItGetsBack() throws Exception {
        List<ChatMessage> conversation = new ArrayList<>(List.of(UserMessage.from("calculate 2+3")));

        ChatResponse first = turn(conversation);
        ToolExecutionRequest call = first.aiMessage().toolExecutionRequests().getFirst();
        assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(call.name()).isEqualTo("calculator");
        assertThat(call.id()).isNotBlank();
        assertThat(arguments(call).path("expression").asText()).isEqualTo("2+3");

        conversation.add(first.aiMessage());
        conversation.add(ToolExecutionResultMessage.from(call, tools.calculator(arguments(call).path("expression")
                .asText())));
        ChatResponse second = turn(conversation);

        assertThat(second.aiMessage().text()).isEqualTo("The result of 2+3 is 5.");
    }

    @Test
    void eachToolCallGetsAFreshId() throws Exception {
        String first = turn(List.of(UserMessage.from("time"))).aiMessage().toolExecutionRequests().getFirst().id();
        String second = turn(List.of(UserMessage.from("time"))).aiMessage().toolExecutionRequests().getFirst().id();

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void timeCallsCurrentTimeThenStatesTheTimeItGetsBack() throws Exception {
        ChatResponse first = turn(List.of(UserMessage.from("time")));
        ToolExecutionRequest call = first.aiMessage().toolExecutionRequests().getFirst();
        assertThat(call.name()).isEqualTo("current_time");
        assertThat(call.arguments()).isEqualTo("{}");

        ChatResponse second = turn(List.of(UserMessage.from("time"), first.aiMessage(),
                ToolExecutionResultMessage.from(call, tools.currentTime())));

        assertThat(second.aiMessage().text()).contains("2025-03-04T05:06:07Z");
    }

    @Test
    void emailCallsSendEmailWithTheAddressFromTheTextThenConfirmsItWasSent() throws Exception {
        ChatResponse first = turn(List.of(UserMessage.from("email bob@example.com Lunch tomorrow at noon?")));
        ToolExecutionRequest call = first.aiMessage().toolExecutionRequests().getFirst();
        JsonNode arguments = arguments(call);
        assertThat(call.name()).isEqualTo("send_email");
        assertThat(arguments.path("to").asText()).isEqualTo("bob@example.com");
        assertThat(arguments.path("subject").asText()).isEqualTo("Lunch tomorrow at noon?");
        assertThat(arguments.path("body").asText()).isEqualTo("Lunch tomorrow at noon?");

        String result = tools.sendEmail(arguments.path("to").asText(), arguments.path("subject").asText(),
                arguments.path("body").asText());
        ChatResponse second = turn(List.of(UserMessage.from("email bob@example.com Lunch tomorrow at noon?"),
                first.aiMessage(), ToolExecutionResultMessage.from(call, result)));

        assertThat(second.aiMessage().text()).isEqualTo("The email to bob@example.com was sent.");
    }

    @Test
    void emailWithoutAnAddressGoesToSomeoneAtExampleCom() throws Exception {
        ToolExecutionRequest call = turn(List.of(UserMessage.from("email say hello to the team")))
                .aiMessage().toolExecutionRequests().getFirst();

        assertThat(arguments(call).path("to").asText()).isEqualTo("someone@example.com");
        assertThat(arguments(call).path("body").asText()).isEqualTo("say hello to the team");
    }

    @Test
    void emailSaysItWasNotSentWhenTheToolResultSaysItWasRejected() throws Exception {
        ChatResponse first = turn(List.of(UserMessage.from("email bob@example.com hi")));
        ToolExecutionRequest call = first.aiMessage().toolExecutionRequests().getFirst();

        ChatResponse second = turn(List.of(UserMessage.from("email bob@example.com hi"), first.aiMessage(),
                ToolExecutionResultMessage.from(call, "Rejected by the user")));

        assertThat(second.aiMessage().text()).startsWith("The email was not sent").contains("Rejected by the user");
    }

    @Test
    void thinkStreamsThinkingWordByWordBeforeTheAnswerAndTheMessageCarriesTheThinking() throws Exception {
        RecordingHandler handler = chat(model, List.of(UserMessage.from("think about rivers")));

        ChatResponse response = handler.awaitResponse();
        assertThat(handler.thinking).hasSizeGreaterThan(10);
        int lastThinking = handler.events.stream().filter(e -> e.startsWith("thinking:")).mapToInt(
                handler.events::lastIndexOf).max().orElseThrow();
        int firstPartial = handler.events.stream().filter(e -> e.startsWith("partial:")).mapToInt(
                handler.events::indexOf).min().orElseThrow();
        assertThat(lastThinking).isLessThan(firstPartial);
        assertThat(response.aiMessage().thinking()).isEqualTo(String.join("", handler.thinking))
                .contains("rivers");
        assertThat(response.aiMessage().text()).isEqualTo(handler.partialText()).contains("rivers");
    }

    @Test
    void failStreamsAFewWordsThenReportsADemoModelFailure() throws Exception {
        RecordingHandler handler = chat(model, List.of(UserMessage.from("fail")));

        assertThat(handler.awaitError()).isInstanceOf(RuntimeException.class)
                .hasMessageContaining("demo model failure");
        assertThat(handler.partials).isNotEmpty();
        assertThat(handler.completed).isNotDone();
    }

    @Test
    void anythingElseQuotesTheMessageAndSaysItIsTheDemoModel() throws Exception {
        String text = turn(List.of(UserMessage.from("What is the capital of France?"))).aiMessage().text();

        assertThat(text).contains("\u201cWhat is the capital of France?\u201d").contains("demo model")
                .contains("story 50");
    }

    @Test
    void aResultFromAnyOtherToolIsSummarised() throws Exception {
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("c1").name("weather").arguments("{}").build();

        String text = turn(List.of(UserMessage.from("weather?"), AiMessage.from(call),
                ToolExecutionResultMessage.from(call, "sunny, 21 C"))).aiMessage().text();

        assertThat(text).isEqualTo("The tool weather returned: sunny, 21 C");
    }

    @Test
    void toolCallsAreStreamedAsPartialToolCallsThenACompleteToolCall() throws Exception {
        RecordingHandler handler = chat(model, List.of(UserMessage.from("calculate (1+2)*3")));

        ChatResponse response = handler.awaitResponse();
        ToolExecutionRequest call = response.aiMessage().toolExecutionRequests().getFirst();
        assertThat(handler.partialToolCalls).allSatisfy(partial -> assertThat(partial.id()).isEqualTo(call.id()));
        assertThat(String.join("", handler.partialToolCalls.stream().map(p -> p.partialArguments()).toList()))
                .isEqualTo(call.arguments());
        assertThat(handler.completeToolCalls).singleElement()
                .satisfies(complete -> assertThat(complete.toolExecutionRequest()).isEqualTo(call));
    }

    @Test
    void toolSpecificationsInTheRequestAreAcceptedButNotNeeded() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        model.chat(ChatRequest.builder().messages(UserMessage.from("calculate 1+1"))
                .toolSpecifications(ToolSpecifications.toolSpecificationsFrom(DemoTools.class)).build(), handler);

        assertThat(handler.awaitResponse().aiMessage().toolExecutionRequests()).hasSize(1);
    }

    @Test
    void doChatReturnsAtOnceAndCallbacksArriveOnAVirtualStreamThread() throws Exception {
        DemoChatModel paced = DemoChatModel.builder().wordDelay(Duration.ofMillis(20)).build();
        RecordingHandler handler = new RecordingHandler();
        CompletableFuture<Thread> callbackThread = new CompletableFuture<>();
        handler.completed.thenRun(() -> callbackThread.complete(Thread.currentThread()));

        long start = System.nanoTime();
        paced.chat(List.of(UserMessage.from("story 50")), handler);
        Duration chatCallTook = Duration.ofNanos(System.nanoTime() - start);

        // Streaming 50 words at 20 ms takes a second; the call itself must not wait for any of it.
        assertThat(chatCallTook).isLessThan(Duration.ofMillis(500));
        Thread streamThread = callbackThread.get(5, TimeUnit.SECONDS);
        assertThat(streamThread).isNotSameAs(Thread.currentThread());
        assertThat(streamThread.isVirtual()).isTrue();
        assertThat(streamThread.getName()).startsWith("agentstream-demo-model-");
        assertThat(handler.callbackThreads).containsOnly(streamThread);
    }

    @Test
    void aPlainHandlerWithOnlyTheStringCallbackReceivesTheWholeStream() throws Exception {
        List<String> pieces = new CopyOnWriteArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        model.chat("story 7", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                pieces.add(partialResponse);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });

        ChatResponse response = done.get(5, TimeUnit.SECONDS);
        assertThat(pieces).hasSize(7);
        assertThat(String.join("", pieces)).isEqualTo(response.aiMessage().text());
    }

    @Test
    void cancellingFromInsideACallbackStopsTheStreamWithNoFurtherCallbacks() {
        DemoChatModel paced = DemoChatModel.builder().wordDelay(Duration.ofMillis(2)).build();
        RecordingHandler handler = RecordingHandler.cancellingAtPartial(3);

        paced.chat(List.of(UserMessage.from("story 1000")), handler);

        await().atMost(Duration.ofSeconds(5)).until(() -> handler.partials.size() == 3);
        await().during(Duration.ofMillis(150)).atMost(Duration.ofSeconds(1))
                .until(() -> handler.events.size() == 3);
        assertThat(handler.handle.join().isCancelled()).isTrue();
        assertThat(handler.completed).isNotDone();
        assertThat(handler.failed).isNotDone();
    }

    @Test
    void cancellingFromAnotherThreadStopsTheStreamPromptly() throws Exception {
        DemoChatModel paced = DemoChatModel.builder().wordDelay(Duration.ofMillis(5)).build();
        RecordingHandler handler = new RecordingHandler();

        paced.chat(List.of(UserMessage.from("story 1000")), handler);
        handler.handle.get(5, TimeUnit.SECONDS).cancel();
        int seenAtCancel = handler.events.size();

        await().during(Duration.ofMillis(150)).atMost(Duration.ofSeconds(1))
                .until(() -> handler.events.size() <= seenAtCancel + 1);
        assertThat(handler.terminalEvents()).isEmpty();
    }

    @Test
    void cancellingDuringALongWordDelayEndsTheStreamWithoutWaitingOutTheDelay() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        DemoStream stream = new DemoStream(DemoReply.text("one two"), handler, Duration.ofSeconds(30), "id", 0);
        Thread thread = Thread.ofVirtual().start(stream);

        stream.cancel();

        assertThat(thread.join(Duration.ofSeconds(1))).isTrue();
        assertThat(handler.events).isEmpty();
        assertThat(stream.isCancelled()).isTrue();
    }

    @Test
    void aCallbackThatThrowsEndsTheStreamThroughOnError() throws Exception {
        RecordingHandler handler = new RecordingHandler(context -> {
            throw new IllegalStateException("handler broke");
        });

        model.chat(List.of(UserMessage.from("story 5")), handler);

        assertThat(handler.awaitError()).hasMessage("handler broke");
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1))
                .until(() -> handler.partials.size() == 1);
        assertThat(handler.completed).isNotDone();
    }

    @Test
    void theModelDescribesItselfAsAnOfflineDemo() {
        assertThat(model.provider()).isEqualTo(ModelProvider.OTHER);
        assertThat(model.defaultRequestParameters().modelName()).isEqualTo("agentstream-demo");
        assertThat(DemoChatModel.create().wordDelay()).isEqualTo(Duration.ofMillis(30));
    }
}
