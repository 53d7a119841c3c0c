package dev.agentstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.testkit.Script;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamingRunTest {

    private final Upstream upstream = new Upstream();
    private final AgentRuntime runtime = AgentRuntime.builder().build();

    @AfterEach
    void close() {
        runtime.close();
        upstream.close();
    }

    @Test
    void aSimpleRunStreamsStartedContentAndCompletedWithGaplessSeq() {
        upstream.server.enqueue(Script.text("Hello", ", ", "world").usage(12, 3));

        RunHandle run = runtime.start(upstream.agent().build(), RunRequest.of("Say hello"));
        List<RunEvent> events = run.events().toList();

        assertThat(Upstream.names(events)).containsExactly("RunStarted", "RunContent", "RunContent", "RunContent",
            "RunContentCompleted", "RunCompleted");
        assertThat(events).extracting(RunEvent::seq).containsExactlyElementsOf(
            LongStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(events).allSatisfy(e -> {
            assertThat(e.runId()).isEqualTo(run.runId());
            assertThat(e.sessionId()).isEqualTo(run.sessionId());
            assertThat(e.agentId()).isEqualTo("assistant");
        });
        RunCompleted completed = (RunCompleted) events.getLast();
        assertThat(completed.content()).isEqualTo("Hello, world");
        assertThat(completed.metrics().inputTokens()).isEqualTo(12);
        assertThat(completed.metrics().outputTokens()).isEqualTo(3);
        assertThat(completed.metrics().totalTokens()).isEqualTo(15);
        assertThat(completed.metrics().timeToFirstToken()).isNotNull();
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void theModelGetsTheInstructionsAndTheUserMessage() {
        upstream.server.enqueue(Script.text("ok"));

        runtime.start(upstream.agent().build(), RunRequest.of("Say hello")).events().toList();

        var messages = upstream.server.requests().getFirst().messages();
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
        assertThat(messages.get(0).get("content").asText()).isEqualTo("You are a test agent.");
        assertThat(messages.get(1).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(1).get("content").asText()).isEqualTo("Say hello");
    }

    @Test
    void aRequestThatBringsItsOwnHistoryGivesTheModelThatHistoryInsteadOfTheSessions() {
        AgentRuntime withStoredHistory = AgentRuntime.builder()
            .history(run -> List.of(UserMessage.from("stored question"), AiMessage.from("stored answer")))
            .build();
        upstream.server.enqueue(Script.text("ok"));
        try {
            withStoredHistory.start(upstream.agent().build(), RunRequest.of("And now?")
                .withHistory(List.of(UserMessage.from("Hi"), AiMessage.from("Hello!")))).events().toList();
        } finally {
            withStoredHistory.close();
        }

        var messages = upstream.server.requests().getFirst().messages();
        assertThat(messages).extracting(m -> m.get("role").asText() + ": " + m.get("content").asText())
            .containsExactly("system: You are a test agent.", "user: Hi", "assistant: Hello!", "user: And now?");
    }

    @Test
    void aReaderStartingLateAfterSeqFiveSeesTheSameEventsAsOneFromTheStart() throws Exception {
        upstream.server.enqueue(Script.text("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")
            .chunkDelay(java.time.Duration.ofMillis(5)));
        RunHandle run = runtime.start(upstream.agent().build(), RunRequest.of("letters"));

        // A virtual thread, not the common pool: LangChain4j's HTTP client delivers chunks through it.
        CompletableFuture<List<RunEvent>> early = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> early.complete(run.events().toList()));
        org.awaitility.Awaitility.await().until(() -> run.log().lastSeq() >= 5);
        List<RunEvent> late = run.events(5).toList();

        List<RunEvent> all = early.get(10, TimeUnit.SECONDS);
        assertThat(late).isEqualTo(all.subList(5, all.size()));
        assertThat(all.subList(0, 5)).extracting(RunEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aFlowSubscriberReceivesTheSameEventsAsTheBlockingStream() throws Exception {
        upstream.server.enqueue(Script.text("one ", "two ", "three"));
        RunHandle run = runtime.start(upstream.agent().build(), RunRequest.of("count"));

        CompletableFuture<List<RunEvent>> received = new CompletableFuture<>();
        run.publisher(0).subscribe(new Flow.Subscriber<>() {
            private final List<RunEvent> events = new ArrayList<>();
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
            }

            @Override
            public void onNext(RunEvent item) {
                events.add(item);
                subscription.request(1);
            }

            @Override
            public void onError(Throwable throwable) {
                received.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                received.complete(events);
            }
        });

        assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(run.events().toList());
    }

    @Test
    void theNonStreamingCallReturnsTheFinalOutput() throws Exception {
        upstream.server.enqueue(Script.text("The ", "answer"));

        RunOutput output = runtime.run(upstream.agent().build(), RunRequest.of("question"));

        assertThat(output.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(output.content()).isEqualTo("The answer");
        assertThat(output.lastSeq()).isEqualTo(5);
    }

    @Test
    void reasoningArrivesAsReasoningEventsBeforeTheAnswer() {
        upstream.server.enqueue(Script.builder().reasoning("Let me ", "think.").text("Done.").build());

        List<RunEvent> events = runtime.start(upstream.agent().build(), RunRequest.of("think")).events().toList();

        assertThat(Upstream.shape(events)).containsExactly("RunStarted", "ReasoningStarted", "ReasoningContentDelta*",
            "ReasoningStep", "ReasoningCompleted", "RunContent", "RunContentCompleted", "RunCompleted");
        RunCompleted completed = (RunCompleted) events.getLast();
        assertThat(completed.reasoningContent()).isEqualTo("Let me think.");
        assertThat(completed.content()).isEqualTo("Done.");
        assertThat(events).filteredOn(e -> e instanceof RunContent).hasSize(1);
    }
}
