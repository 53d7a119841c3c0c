package dev.agentstream.testkit;

import dev.agentstream.testkit.RecordedRequest.Outcome;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What LangChain4j's StreamingHandle.cancel() does to the HTTP connection, as the server sees it.
 *
 * <p>The server waits 10 s between chunks here, so seeing the close within the 5 s wait proves it was noticed
 * by probing, not by the next chunk write. Timing is not asserted tighter: cancel() closes the JDK HttpClient's
 * connection asynchronously, typically 15-25 ms later, but rarely only at its selector's 3 s wake-up. The
 * server's own detection latency is asserted on a raw socket in {@link ClientCloseDetectionTest}.
 */
class CancelTest {

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

    private OpenAiStreamingChatModel model() {
        return OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key").modelName("gpt-test")
                .timeout(WAIT).build();
    }

    @Test
    void cancellingViaTheStreamingHandleClosesTheConnectionAndTheServerRecordsClientClosedEarlyQuickly() {
        server.enqueue(Script.text("a", "b", "c").chunkDelay(Duration.ofSeconds(10)));
        RecordingHandler handler = RecordingHandler.cancellingAtPartial(1);

        model().chat("hi", handler);

        RecordedRequest request = server.awaitRequest(0, WAIT);
        assertThat(request.awaitClientClosed(WAIT)).isTrue();
        assertThat(request.clientClosedEarly()).isTrue();
        assertThat(handler.partials).containsExactly("a");
        assertThat(handler.handle.join().isCancelled()).isTrue();
    }

    @Test
    void afterCancelLangChain4jDeliversNoFurtherCallbacksNotEvenACompleteResponse() {
        server.enqueue(Script.text("a", "b", "c", "d").chunkDelay(Duration.ofMillis(30)).usage(1, 4));
        RecordingHandler handler = RecordingHandler.cancellingAtPartial(2);

        model().chat("hi", handler);

        assertThat(server.awaitRequest(0, WAIT).awaitOutcome(WAIT)).contains(Outcome.CLIENT_CLOSED_EARLY);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1))
                .until(() -> handler.events.size() == 2);
        assertThat(handler.events).containsExactly("partial:a", "partial:b");
    }

    @Test
    void cancellingFromAnotherThreadWhileTheServerWaitsBetweenChunksIsSeenBeforeTheNextChunkIsDue()
            throws Exception {
        server.enqueue(Script.text("a", "b").chunkDelay(Duration.ofSeconds(10)));
        RecordingHandler handler = new RecordingHandler();

        model().chat("hi", handler);
        var handle = handler.handle.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        handle.cancel();

        assertThat(server.awaitRequest(0, WAIT).awaitClientClosed(WAIT)).isTrue();
        assertThat(handler.partials).containsExactly("a");
    }

    /**
     * Characterises LangChain4j 1.19: cancel() closes the response stream. When another thread is blocked
     * reading it, that read may fail, and LangChain4j then reports onError ("closed") although the stream was
     * cancelled; or the read sees a plain end and nothing is reported. Never onCompleteResponse. Cancelling from
     * inside a callback (the reader's own thread) reports nothing.
     */
    @Test
    void cancellingFromAnotherThreadEndsWithNoCallbackOrAnOnErrorClosedButNeverAComplete() throws Exception {
        server.enqueue(Script.text("a", "b").stallAfter(1));
        RecordingHandler handler = new RecordingHandler();

        model().chat("hi", handler);
        handler.handle.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).cancel();

        assertThat(server.awaitRequest(0, WAIT).awaitClientClosed(WAIT)).isTrue();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1))
                .until(() -> handler.terminalEvents().size() <= 1);
        assertThat(handler.terminalEvents()).allSatisfy(event -> assertThat(event).startsWith("error:")
                .contains("closed"));
    }
}
