package dev.agentstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunError;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.http.ModelHttpClient;
import dev.agentstream.run.FaultKind;
import dev.agentstream.testkit.OpenAiError;
import dev.agentstream.testkit.Script;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A model server that answers "later" (429/500/503) before the first token: retried, politely, and never twice the text. */
class UpstreamRetryTest {

    private final FaultRig rig = new FaultRig();

    @AfterEach
    void close() {
        rig.close();
    }

    /** The agent on agentstream's own HTTP client, which passes the server's Retry-After on. */
    private Agent.Builder agentOnOurClient() {
        return agentOn(rig.upstream.server.baseUrl());
    }

    private Agent.Builder agentOn(String baseUrl) {
        return rig.upstream.agent().model(OpenAiStreamingChatModel.builder()
            .baseUrl(baseUrl).apiKey("test-key").modelName("gpt-test")
            .httpClientBuilder(ModelHttpClient.builder()).timeout(Duration.ofSeconds(10)).build());
    }

    @Test
    void aRateLimitedCallIsRetriedAfterTheRetryAfterSecondsAndTheAnswerIsStreamedOnce() {
        rig.upstream.server.enqueue(Script.rateLimited("1"), Script.text("Hello ", "there"));

        RunHandle run = rig.runtime.start(agentOnOurClient().build(), RunRequest.of("hi"));
        List<RunEvent> events = run.events().toList();

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.output().content()).isEqualTo("Hello there");
        assertThat(Upstream.shape(events)).containsExactly("RunStarted", "RunContent*", "RunContentCompleted", "RunCompleted");
        assertThat(rig.upstream.server.requests()).hasSize(2);
        assertThat(secondsBetweenRequests(0, 1)).isGreaterThanOrEqualTo(0.95);
        assertThat(rig.faults.retries).containsExactly(429);
        assertThat(rig.faults.faults).isEmpty();
    }

    @Test
    void aRetryAfterGivenAsAnHttpDateIsHonoured() {
        String inTwoSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plusSeconds(2).atOffset(ZoneOffset.UTC));
        rig.upstream.server.enqueue(Script.httpError(503, OpenAiError.body("overloaded", "server_error", null),
            Map.of("retry-after", inTwoSeconds)), Script.text("ok"));

        RunHandle run = rig.runtime.start(agentOnOurClient().build(), RunRequest.of("hi"));
        run.events().toList();

        assertThat(run.output().content()).isEqualTo("ok");
        // The date has a one-second resolution: at least one second is left of the two.
        assertThat(secondsBetweenRequests(0, 1)).isGreaterThanOrEqualTo(0.95);
        assertThat(rig.faults.retries).containsExactly(503);
    }

    @Test
    void afterTheConfiguredRetriesTheRunEndsWithRunErrorCarryingTheStatus() {
        Script unavailable = Script.httpError(503, OpenAiError.body("The engine is currently overloaded", "server_error", null));
        rig.upstream.server.enqueue(unavailable, unavailable, unavailable);

        RunHandle run = rig.runtime.start(rig.upstream.agent().upstreamRetries(2).build(), RunRequest.of("hi"));
        List<RunEvent> events = run.events().toList();

        RunError error = (RunError) events.getLast();
        assertThat(error.content()).isEqualTo("the model answered HTTP 503 (3 attempts): The engine is currently overloaded");
        assertThat(run.status()).isEqualTo(RunStatus.ERROR);
        assertThat(run.output().error()).isEqualTo(error.content());
        assertThat(rig.upstream.server.requests()).hasSize(3);
        assertThat(rig.faults.retries).containsExactly(503, 503);
        assertThat(rig.faults.faults).containsExactly(FaultKind.UPSTREAM_STATUS);
    }

    @Test
    void aStatusThatIsNotWorthRetryingEndsTheRunAtOnce() {
        rig.upstream.server.enqueue(Script.httpError(401, OpenAiError.body("Incorrect API key provided", "invalid_request_error",
            "invalid_api_key")));

        RunHandle run = rig.runtime.start(rig.upstream.agent().build(), RunRequest.of("hi"));
        RunError error = (RunError) run.events().toList().getLast();

        assertThat(error.content()).isEqualTo("the model answered HTTP 401: Incorrect API key provided");
        assertThat(rig.upstream.server.requests()).hasSize(1);
        assertThat(rig.faults.retries).isEmpty();
    }

    @Test
    void aStreamThatBreaksAfterItsFirstTokensIsNotRetriedSoNoTextIsShownTwice() {
        rig.upstream.server.enqueue(Script.text("Partial ", "answer ", "more").chunkDelay(Duration.ofMillis(300)).resetAfter(2),
            Script.text("Partial ", "answer ", "more"));

        RunHandle run = rig.runtime.start(rig.upstream.agent().build(), RunRequest.of("hi"));
        List<RunEvent> events = run.events().toList();

        assertThat(events.getLast()).isInstanceOf(RunError.class);
        assertThat(run.output().content()).isEqualTo("Partial answer ");
        assertThat(rig.upstream.server.requests()).hasSize(1);
        assertThat(rig.faults.retries).isEmpty();
        assertThat(rig.faults.faults).containsExactly(FaultKind.UPSTREAM_BROKEN);
    }

    @Test
    void aCancelDuringTheWaitBeforeARetryStopsTheRunAtOnce() {
        rig.upstream.server.enqueue(Script.rateLimited("30"), Script.text("never"));
        RunHandle run = rig.runtime.start(agentOnOurClient().build(), RunRequest.of("hi"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> rig.faults.retries.size() == 1);

        long start = System.nanoTime();
        assertThat(rig.runtime.cancel(run.runId(), AgentRuntime.REASON_CANCELLED)).isEqualTo(AgentRuntime.CancelOutcome.CANCELLING);
        List<RunEvent> events = run.events().toList();

        assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.0);
        assertThat(events.getLast()).isInstanceOf(RunCancelled.class);
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(rig.upstream.server.requests()).hasSize(1);
    }

    @Test
    void aStalledStreamEndsWithUpstreamStalledAndItsConnectionIsClosed() {
        try (FaultRig quick = new FaultRig(runtime -> runtime.modelIdleTimeout(Duration.ofSeconds(1)))) {
            Agent agent = quick.upstream.agent().build();
            warmUp(quick, agent);
            quick.upstream.server.enqueue(Script.text("Partial ", "answer ", "never").stallAfter(2));

            RunHandle run = quick.runtime.start(agent, RunRequest.of("hi"));
            RunError error = (RunError) run.events().toList().getLast();

            assertThat(error.content()).isEqualTo("upstream stalled: the model sent nothing for 1 s");
            assertThat(error.partialContent()).isEqualTo("Partial answer ");
            assertThat(quick.upstream.server.requests().get(1).awaitClientClosed(Upstream.UPSTREAM_CLOSE_TIMEOUT)).isTrue();
            assertThat(quick.faults.faults).containsExactly(FaultKind.UPSTREAM_STALLED);
        }
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDateAndAnythingElseFallsBackToBackoff() {
        Instant now = Instant.parse("2026-12-06T05:00:00Z");

        assertThat(UpstreamRetry.retryAfter("2", now)).contains(Duration.ofSeconds(2));
        assertThat(UpstreamRetry.retryAfter("Sun, 06 Dec 2026 05:00:07 GMT", now)).contains(Duration.ofSeconds(7));
        assertThat(UpstreamRetry.retryAfter("Sun, 06 Dec 2026 04:59:00 GMT", now)).contains(Duration.ZERO);
        assertThat(UpstreamRetry.retryAfter("99999999999999999999", now)).contains(UpstreamRetry.MAX_WAIT);
        assertThat(UpstreamRetry.retryAfter("soon", now)).isEmpty();
        assertThat(UpstreamRetry.retryAfter("-1", now)).isEmpty();
        assertThat(UpstreamRetry.backoff(1)).isBetween(Duration.ofMillis(500), Duration.ofMillis(625));
        assertThat(UpstreamRetry.backoff(3)).isBetween(Duration.ofSeconds(2), Duration.ofMillis(2500));
    }

    @Test
    void aRetryAfterLongerThanTheCapIsCut() {
        rig.upstream.server.enqueue(Script.rateLimited("3600"), Script.text("never"));
        RunHandle run = rig.runtime.start(agentOnOurClient().build(), RunRequest.of("hi"));

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !rig.faults.waits.isEmpty());
        assertThat(rig.faults.waits).containsExactly(UpstreamRetry.MAX_WAIT);
        rig.runtime.cancel(run.runId(), AgentRuntime.REASON_CANCELLED);
        assertThat(run.events().toList().getLast()).isInstanceOf(RunCancelled.class);
    }

    @Test
    void aRefusedConnectionThroughLangChain4jsOwnClientReadsAsSuch() {
        Agent agent = rig.upstream.agent().model(OpenAiStreamingChatModel.builder()
            .baseUrl("http://127.0.0.1:1/v1").apiKey("test-key").modelName("gpt-test").build()).build();

        RunHandle run = rig.runtime.start(agent, RunRequest.of("hi"));
        RunError error = (RunError) run.events().toList().getLast();

        assertThat(error.content()).isEqualTo("could not connect to the model: connection refused");
        assertThat(rig.faults.faults).containsExactly(FaultKind.UPSTREAM_CONNECT);
    }

    @Test
    void aStallBeforeTheFirstChunkEndsWithUpstreamStalledAndItsConnectionIsClosed() {
        try (FaultRig quick = new FaultRig(runtime -> runtime.modelIdleTimeout(Duration.ofSeconds(1)))) {
            Agent agent = agentOn(quick.upstream.server.baseUrl()).build();
            warmUp(quick, agent);
            quick.upstream.server.enqueue(Script.text("never").stallAfter(0));

            RunHandle run = quick.runtime.start(agent, RunRequest.of("hi"));
            RunError error = (RunError) run.events().toList().getLast();

            assertThat(error.content()).isEqualTo("upstream stalled: the model sent nothing for 1 s");
            assertThat(quick.upstream.server.requests().get(1).awaitClientClosed(Upstream.UPSTREAM_CLOSE_TIMEOUT)).isTrue();
        }
    }

    @Test
    void aStallBeforeTheResponseHeadersEndsWithUpstreamStalledAndItsConnectionIsClosed() throws Exception {
        try (FaultRig quick = new FaultRig(runtime -> runtime.modelIdleTimeout(Duration.ofSeconds(1)));
             SilentServer silent = new SilentServer()) {
            warmUp(quick, agentOn(quick.upstream.server.baseUrl()).build());
            RunHandle run = quick.runtime.start(agentOn(silent.baseUrl()).build(), RunRequest.of("hi"));
            RunError error = (RunError) run.events().toList().getLast();

            assertThat(error.content()).isEqualTo("upstream stalled: the model sent nothing for 1 s");
            silent.clientClosed.get(Upstream.UPSTREAM_CLOSE_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /**
     * One quick answer first: on a busy machine a cold client (classes loading, Jetty starting) can
     * take longer than the 1 s idle timeout these tests use before it even sends its first request.
     */
    private static void warmUp(FaultRig rig, Agent agent) {
        rig.upstream.server.enqueue(Script.text("ready"));
        assertThat(rig.runtime.start(agent, RunRequest.of("warm up")).events().toList().getLast().eventName())
            .isEqualTo("RunCompleted");
    }

    private double secondsBetweenRequests(int first, int second) {
        List<dev.agentstream.testkit.RecordedRequest> requests = rig.upstream.server.requests();
        return (requests.get(second).receivedNanos() - requests.get(first).receivedNanos()) / 1e9;
    }
}
