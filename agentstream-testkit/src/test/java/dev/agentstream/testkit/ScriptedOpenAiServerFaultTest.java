package dev.agentstream.testkit;

import dev.agentstream.testkit.RecordedRequest.Outcome;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each scripted fault, as LangChain4j's OpenAiStreamingChatModel experiences it. */
class ScriptedOpenAiServerFaultTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private ScriptedOpenAiServer server;

    @BeforeEach
    void startServer() {
        server = ScriptedOpenAiServer.start();
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    private OpenAiStreamingChatModel model(Duration timeout) {
        return OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key").modelName("gpt-test")
                .timeout(timeout).build();
    }

    private OpenAiStreamingChatModel model() {
        return model(WAIT);
    }

    @Test
    void http500EndsInOnErrorWithInternalServerExceptionCarryingOpenAisErrorBody() throws Exception {
        server.enqueue(Script.serverError());
        RecordingHandler handler = new RecordingHandler();

        model().chat("hi", handler);

        assertThat(handler.awaitError()).isInstanceOf(InternalServerException.class)
                .hasMessageContaining("\"type\":\"server_error\"");
        assertThat(handler.terminalEvents()).hasSize(1);
        assertThat(handler.partials).isEmpty();
    }

    @Test
    void http429EndsInOnErrorWithRateLimitException() throws Exception {
        server.enqueue(Script.rateLimited());
        RecordingHandler handler = new RecordingHandler();

        model().chat("hi", handler);

        assertThat(handler.awaitError()).isInstanceOf(RateLimitException.class)
                .hasMessageContaining("rate_limit_exceeded");
        assertThat(handler.terminalEvents()).hasSize(1);
    }

    @Test
    void noQueuedScriptAnswersHttp500SayingNoScriptWasQueued() throws Exception {
        RecordingHandler handler = new RecordingHandler();

        model().chat("hi", handler);

        assertThat(handler.awaitError()).isInstanceOf(InternalServerException.class)
                .hasMessageContaining("no script was queued");
        assertThat(server.awaitRequest(0, WAIT).awaitOutcome(WAIT)).contains(Outcome.NO_SCRIPT);
    }

    @Test
    void resetAfterTwoChunksDeliversThoseChunksThenOnError() throws Exception {
        server.enqueue(Script.text("a", "b", "c").resetAfter(2));
        RecordingHandler handler = new RecordingHandler();

        model().chat("hi", handler);

        handler.awaitError();
        assertThat(handler.partials).containsExactly("a", "b");
        assertThat(handler.terminalEvents().getFirst()).startsWith("error:");
        assertThat(server.awaitRequest(0, WAIT).awaitOutcome(WAIT)).contains(Outcome.RESET);
    }

    @Test
    void malformedChunkAfterTwoChunksEndsInOnErrorAboutTheJson() throws Exception {
        server.enqueue(Script.text("a", "b", "c").malformedAfter(2));
        RecordingHandler handler = new RecordingHandler();

        model().chat("hi", handler);

        assertThat(handler.awaitError()).hasMessageContaining("Unexpected end-of-input");
        assertThat(handler.partials).containsExactly("a", "b");
        assertThat(handler.terminalEvents().getFirst()).startsWith("error:");
    }

    /**
     * Characterises LangChain4j 1.19, not the testkit: after a mid-stream error its JDK HTTP client still calls
     * the SSE listener's onClose, which completes the response. Callers must expect onError THEN
     * onCompleteResponse for one request. If this test fails after an upgrade, that quirk is gone.
     */
    @Test
    void langChain4jCallsOnCompleteResponseEvenAfterOnErrorForAResetOrMalformedStream() throws Exception {
        server.enqueue(Script.text("a", "b").resetAfter(1), Script.text("a", "b").malformedAfter(1));
        RecordingHandler afterReset = new RecordingHandler();
        RecordingHandler afterMalformed = new RecordingHandler();

        model().chat("hi", afterReset);
        afterReset.awaitResponse();
        model().chat("hi", afterMalformed);
        afterMalformed.awaitResponse();

        assertThat(afterReset.terminalEvents()).hasSize(2).last().isEqualTo("complete");
        assertThat(afterMalformed.terminalEvents()).hasSize(2).last().isEqualTo("complete");
    }

    @Test
    void stallBeforeResponseEndsInOnErrorWithTimeoutWhenTheClientTimeoutElapses() throws Exception {
        server.enqueue(Script.stallBeforeResponse());
        RecordingHandler handler = new RecordingHandler();

        model(Duration.ofMillis(200)).chat("hi", handler);

        assertThat(handler.awaitError()).isInstanceOf(TimeoutException.class);
        assertThat(handler.terminalEvents()).hasSize(1);
    }

    @Test
    void stallAfterChunksIsEndedByCancellingTheStreamAndTheServerSeesTheClientClose() throws Exception {
        server.enqueue(Script.text("a", "b", "c").stallAfter(2));
        RecordingHandler handler = new RecordingHandler();

        model().chat("hi", handler);
        await().atMost(WAIT).until(() -> handler.partials.size() == 2);
        handler.handle.get().cancel();

        assertThat(server.awaitRequest(0, WAIT).awaitClientClosed(WAIT)).isTrue();
        assertThat(handler.partials).containsExactly("a", "b");
    }

    /**
     * Characterises LangChain4j 1.19: its {@code timeout} becomes the JDK HttpRequest timeout, which only bounds
     * the wait for response headers, so a stream that stalls after its headers is never timed out by it.
     */
    @Test
    void langChain4jTimeoutDoesNotEndAStreamThatStallsAfterItsHeaders() throws Exception {
        server.enqueue(Script.text("a", "b").stallAfter(1));
        RecordingHandler handler = new RecordingHandler();

        model(Duration.ofMillis(100)).chat("hi", handler);

        await().atMost(WAIT).until(() -> handler.partials.size() == 1);
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(1))
                .until(() -> handler.terminalEvents().isEmpty());
        assertThat(server.requests().getFirst().outcome()).isEmpty();
    }

    @Test
    void closingTheServerWakesAStalledRequestAndEndsItAsServerClosed() {
        server.enqueue(Script.text("a").stallAfter(1));
        RecordingHandler handler = new RecordingHandler();
        model().chat("hi", handler);
        RecordedRequest request = server.awaitRequest(0, WAIT);
        await().atMost(WAIT).until(() -> handler.partials.size() == 1);

        long start = System.nanoTime();
        server.close();
        server.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(request.awaitOutcome(WAIT)).contains(Outcome.SERVER_CLOSED);
    }
}
