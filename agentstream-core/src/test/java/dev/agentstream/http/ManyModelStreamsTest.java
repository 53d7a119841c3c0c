package dev.agentstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.Agent;
import dev.agentstream.AgentRuntime;
import dev.agentstream.RunHandle;
import dev.agentstream.RunRequest;
import dev.agentstream.event.RunContent;
import dev.agentstream.testkit.RecordedRequest;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ScriptedOpenAiServer;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A thousand model streams at once through {@link ModelHttpClient}: every token reaches its
 * run's log while the upstream is still streaming, and platform threads do not grow with the
 * number of streams.
 *
 * <p>How "as it is sent" is proven without timing: each upstream sends three tokens and then holds
 * the stream open, sending nothing more. A client that needs a thread per stream from a bounded
 * pool (LangChain4j's default reads on the common ForkJoinPool, at most 256 spares) leaves the
 * streams beyond its pool with their tokens unread in socket buffers for as long as the others
 * stay open, so they never reach the log.
 */
class ManyModelStreamsTest {

    private static final int STREAMS = 1_000;
    /** JDK HttpClient selector and workers, GC and JIT threads come and go; none of them is per stream. */
    private static final int PLATFORM_THREAD_ALLOWANCE = 40;

    private final ScriptedOpenAiServer upstream = ScriptedOpenAiServer.start();
    private final AgentRuntime runtime = AgentRuntime.builder().modelIdleTimeout(Duration.ofMinutes(5)).build();

    @AfterEach
    void close() {
        runtime.close();
        upstream.close();
    }

    @Test
    void everyTokenOfAThousandConcurrentStreamsReachesItsLogWhileTheStreamsAreStillOpen() {
        upstream.setDefault(Script.text("one ", "two ", "three ").chunkDelay(Duration.ofMillis(50)).stallAfter(3));
        Agent agent = Agent.builder().id("assistant").model(OpenAiStreamingChatModel.builder()
                .httpClientBuilder(ModelHttpClient.builder())
                .baseUrl(upstream.baseUrl())
                .apiKey("test-key")
                .modelName("gpt-test")
                .timeout(Duration.ofSeconds(60))
                .build())
            .build();
        int platformThreadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

        List<RunHandle> runs = new ArrayList<>(STREAMS);
        for (int i = 0; i < STREAMS; i++) {
            runs.add(runtime.start(agent, RunRequest.of("stream " + i)));
        }

        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
            .until(() -> runs.stream().allMatch(run -> contentEvents(run) == 3));
        int platformThreadsDuring = ManagementFactory.getThreadMXBean().getThreadCount();

        assertThat(upstream.requests()).hasSize(STREAMS);
        assertThat(upstream.requests()).noneMatch(RecordedRequest::clientClosedEarly);
        assertThat(platformThreadsDuring).isLessThan(platformThreadsBefore + PLATFORM_THREAD_ALLOWANCE);

        runs.forEach(run -> run.cancel("cancelled"));
        Awaitility.await().atMost(Duration.ofSeconds(60))
            .until(() -> upstream.requests().stream().allMatch(RecordedRequest::clientClosedEarly));
    }

    private static long contentEvents(RunHandle run) {
        return run.log().readAfter(0).events().stream().filter(RunContent.class::isInstance).count();
    }
}
