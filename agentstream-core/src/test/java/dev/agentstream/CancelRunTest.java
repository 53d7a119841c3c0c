package dev.agentstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunError;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.testkit.RecordedRequest;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import dev.langchain4j.agent.tool.Tool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CancelRunTest {

    private final Upstream upstream = new Upstream();
    private final AgentRuntime runtime = AgentRuntime.builder().build();

    @AfterEach
    void close() {
        runtime.close();
        upstream.close();
    }

    private static Script longText() {
        String[] words = new String[200];
        java.util.Arrays.fill(words, "word ");
        return Script.text(words).chunkDelay(Duration.ofMillis(20));
    }

    @Test
    void cancelMidStreamEndsWithRunCancelledClosesTheUpstreamAndKeepsThePartialContent() {
        upstream.server.enqueue(longText());
        RunHandle run = runtime.start(upstream.agent().build(), RunRequest.of("long story"));
        Awaitility.await().until(() -> run.log().lastSeq() >= 4);

        assertThat(runtime.cancel(run.runId(), "cancelled")).isEqualTo(AgentRuntime.CancelOutcome.CANCELLING);
        List<RunEvent> events = run.events().toList();

        assertThat(Upstream.shape(events)).containsExactly("RunStarted", "RunContent*", "RunCancelled");
        RunCancelled cancelled = (RunCancelled) events.getLast();
        assertThat(cancelled.reason()).isEqualTo("cancelled");
        String streamed = events.stream().filter(e -> e instanceof dev.agentstream.event.RunContent)
            .map(e -> ((dev.agentstream.event.RunContent) e).content()).reduce("", String::concat);
        assertThat(cancelled.content()).isEqualTo(streamed).isNotEmpty();
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(run.output().content()).isEqualTo(streamed);

        RecordedRequest request = upstream.server.requests().getFirst();
        assertThat(request.awaitClientClosed(Upstream.UPSTREAM_CLOSE_TIMEOUT)).isTrue();
        // Nothing follows RunCancelled, even though the upstream had more to say.
        assertThat(run.log().readAfter(cancelled.seq()).events()).isEmpty();
        assertThat(run.log().isClosed()).isTrue();
    }

    @Test
    void runCancelledReachesTheLogPromptlyAfterCancelWhileTheModelStreams() {
        upstream.server.enqueue(longText());
        RunHandle run = runtime.start(upstream.agent().build(), RunRequest.of("long story"));
        Awaitility.await().until(() -> run.log().lastSeq() >= 3);

        long start = System.nanoTime();
        run.cancel("cancelled");
        Awaitility.await().pollInterval(Duration.ofMillis(1)).until(() -> run.log().isClosed());
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        // The issue asks for 20 ms; this bound leaves room for a loaded CI machine. The benchmark
        // (docs/BENCHMARKS.md) reports the measured latency.
        assertThat(elapsedMillis).isLessThan(500);
    }

    @Test
    void aCancelThatArrivesBeforeTheRunStartsStillWins() {
        assertThat(runtime.cancel("run-early", "cancelled")).isEqualTo(AgentRuntime.CancelOutcome.REQUESTED);

        RunHandle run = runtime.start(upstream.agent().build(), RunRequest.of("hi").withRunId("run-early"));
        List<RunEvent> events = run.events().toList();

        assertThat(Upstream.names(events)).containsExactly("RunStarted", "RunCancelled");
        assertThat(upstream.server.requests()).isEmpty();
    }

    @Test
    void cancellingARunThatEndedSaysSo() {
        upstream.server.enqueue(Script.text("done"));
        RunHandle run = runtime.start(upstream.agent().build(), RunRequest.of("hi"));
        run.events().toList();

        assertThat(run.cancel("cancelled")).isEqualTo(AgentRuntime.CancelOutcome.ALREADY_ENDED);
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
    }

    static final class SlowTool {
        final CountDownLatch started = new CountDownLatch(1);
        volatile boolean interrupted;

        @Tool("Takes forever")
        public String slow() {
            started.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(5));
                return "finished";
            } catch (InterruptedException e) {
                interrupted = true;
                return "interrupted";
            }
        }
    }

    @Test
    void cancelInterruptsARunningToolAndEndsTheRun() throws Exception {
        SlowTool tool = new SlowTool();
        upstream.server.enqueue(Script.toolCalls(ToolCall.of("call_s", "slow", "{}")));
        RunHandle run = runtime.start(upstream.agent().tools(tool).build(), RunRequest.of("slow"));
        tool.started.await();

        run.cancel("cancelled");
        List<RunEvent> events = run.events().toList();

        assertThat(Upstream.names(events)).containsExactly("RunStarted", "ToolCallStarted", "RunCancelled");
        Awaitility.await().until(() -> tool.interrupted);
    }

    @Test
    void aDisconnectCancelIsStoredAsInterrupted() {
        upstream.server.enqueue(longText());
        RunHandle run = runtime.start(upstream.agent().build(), RunRequest.of("long"));
        Awaitility.await().until(() -> run.log().lastSeq() >= 2);

        run.cancel(AgentRuntime.REASON_CLIENT_DISCONNECTED);
        run.events().toList();

        assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
    }

    // A run stopped from outside as failed (its storage went away, say) ends with RunError, not RunCancelled.

    @Test
    void failMidStreamEndsWithRunErrorCarryingTheCauseAndThePartialContent() {
        upstream.server.enqueue(longText());
        RunHandle run = runtime.start(upstream.agent().build(), RunRequest.of("long story"));
        Awaitility.await().until(() -> run.log().lastSeq() >= 4);

        assertThat(runtime.fail(run.runId(), new IllegalStateException("storage unavailable"))).isTrue();
        List<RunEvent> events = run.events().toList();

        assertThat(Upstream.shape(events)).containsExactly("RunStarted", "RunContent*", "RunError");
        RunError error = (RunError) events.getLast();
        assertThat(error.content()).isEqualTo("storage unavailable");
        String streamed = events.stream().filter(e -> e instanceof RunContent)
            .map(e -> ((RunContent) e).content()).reduce("", String::concat);
        assertThat(error.partialContent()).isEqualTo(streamed).isNotEmpty();
        assertThat(run.status()).isEqualTo(RunStatus.ERROR);
        assertThat(upstream.server.requests().getFirst().awaitClientClosed(Upstream.UPSTREAM_CLOSE_TIMEOUT)).isTrue();
        // A second stop, of either kind, changes nothing.
        assertThat(runtime.fail(run.runId(), new IllegalStateException("again"))).isFalse();
        assertThat(runtime.cancel(run.runId(), "cancelled")).isEqualTo(AgentRuntime.CancelOutcome.ALREADY_ENDED);
    }

    @Test
    void failIgnoresRunsThatAreNotHere() {
        assertThat(runtime.fail("no-such-run", new IllegalStateException("storage unavailable"))).isFalse();
    }
}
