package dev.agentstream.server.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.UpstreamSettings;
import dev.agentstream.server.testing.Gate;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.server.testing.Upstream;
import dev.agentstream.store.StoredMessage;
import dev.agentstream.store.StoredRun;
import dev.agentstream.testkit.OpenAiError;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A model or tool that misbehaves, end to end: real HTTP to the server, a real SQLite file, the
 * scripted OpenAI server as the model. Each fault ends in a terminal event for the client, the
 * status, error and partial answer stored, and a counted metric.
 */
@Timeout(60)
class UpstreamFaultsTest {

    static final Upstream upstream = new Upstream();
    static final Gate gate = new Gate();
    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .agent(upstream.agent("model").tools(gate).build())
        .customize(b -> b.upstream(new UpstreamSettings(2, Duration.ofSeconds(5), Duration.ofSeconds(1),
            Duration.ofMillis(500))))
        .shared();

    @AfterAll
    static void stop() {
        gate.open();
        upstream.close();
    }

    static Stream<Arguments> midStreamFaults() {
        // Slow chunks: the client reads the first ones before the fault hits.
        Script partial = Script.text("Partial ", "answer ", "that ", "breaks").chunkDelay(Duration.ofMillis(200));
        return Stream.of(
            Arguments.of("connection reset", partial.resetAfter(2), "upstream_broken",
                "the model's stream broke off before the answer ended"),
            Arguments.of("malformed chunk", partial.malformedAfter(2), "upstream_malformed",
                "the model sent a malformed chunk: "),
            Arguments.of("stall", partial.stallAfter(2), "upstream_stalled",
                "upstream stalled: the model sent nothing for 1 s"));
    }

    @ParameterizedTest(name = "{0}: RunError, status ERROR and the partial answer stored")
    @MethodSource("midStreamFaults")
    void aFaultMidStreamEndsInRunErrorWithTheStatusAndThePartialAnswerStored(String name, Script fault, String kind,
                                                                           String error) {
        upstream.server.enqueue(fault);
        double errorsBefore = metric("agentstream_run_errors_total{kind=\"" + kind + "\"}");

        List<SseStream.Frame> frames = stream("{\"message\":\"go\"}");

        SseStream.Frame last = frames.getLast();
        assertThat(last.event()).isEqualTo("RunError");
        assertThat(last.json().get("content").asText()).startsWith(error);
        String shown = frames.stream().filter(f -> f.event().equals("RunContent"))
            .map(f -> f.json().get("content").asText()).collect(Collectors.joining());
        assertThat(shown).isEqualTo("Partial answer ");
        String runId = frames.getFirst().json().get("run_id").asText();
        StoredRun stored = server.storage().store().findRun(runId).orElseThrow();
        assertThat(stored.status().name()).isEqualTo("ERROR");
        assertThat(stored.error()).isEqualTo(last.json().get("content").asText());
        StoredMessage answer = assistantMessage(stored);
        assertThat(answer.content()).isEqualTo("Partial answer ");
        assertThat(answer.error()).isEqualTo(stored.error());
        assertThat(metric("agentstream_run_errors_total{kind=\"" + kind + "\"}")).isEqualTo(errorsBefore + 1);
    }

    @Test
    void aModelThatAnswersServiceUnavailableIsRetriedThenTheRunEndsWithTheStatusStored() {
        Script unavailable = Script.httpError(503, OpenAiError.body("The engine is currently overloaded", "server_error", null));
        upstream.server.enqueue(unavailable, unavailable, unavailable);
        double retriesBefore = metric("agentstream_upstream_retries_total{status=\"503\"}");

        List<SseStream.Frame> frames = stream("{\"message\":\"go\"}");

        assertThat(SseStream.names(frames)).containsExactly("RunStarted", "RunError");
        String error = frames.getLast().json().get("content").asText();
        assertThat(error).isEqualTo("the model answered HTTP 503 (3 attempts): The engine is currently overloaded");
        StoredRun stored = server.storage().store().findRun(frames.getFirst().json().get("run_id").asText()).orElseThrow();
        assertThat(stored.status().name()).isEqualTo("ERROR");
        assertThat(stored.error()).isEqualTo(error);
        assertThat(metric("agentstream_upstream_retries_total{status=\"503\"}")).isEqualTo(retriesBefore + 2);
    }

    @Test
    void aRateLimitBeforeTheFirstTokenIsRetriedAndTheAnswerIsShownAndStoredOnce() {
        upstream.server.enqueue(Script.rateLimited(), Script.text("Hello ", "again"));

        List<SseStream.Frame> frames = stream("{\"message\":\"go\"}");

        assertThat(SseStream.shape(frames)).containsExactly("RunStarted", "RunContent*", "RunContentCompleted", "RunCompleted");
        StoredRun stored = server.storage().store().findRun(frames.getFirst().json().get("run_id").asText()).orElseThrow();
        assertThat(stored.status().name()).isEqualTo("COMPLETED");
        assertThat(assistantMessage(stored).content()).isEqualTo("Hello again");
    }

    @Test
    void aToolPastTheServersToolTimeoutEndsInToolCallErrorAndTheRunGoesOn() {
        upstream.server.enqueue(Script.toolCalls(ToolCall.of("call_gate", "gate", "{}")), Script.text("The gate stayed shut."));
        double before = metric("agentstream_tool_errors_total{kind=\"tool_timeout\"}");

        List<SseStream.Frame> frames = stream("{\"message\":\"open the gate\"}");

        assertThat(SseStream.shape(frames)).containsExactly("RunStarted", "ToolCallStarted", "ToolCallError", "RunContent",
            "RunContentCompleted", "RunCompleted");
        JsonNode toolError = frames.get(2).json();
        assertThat(toolError.get("error").asText()).isEqualTo("tool gate did not finish within 500 ms and was stopped");
        assertThat(metric("agentstream_tool_errors_total{kind=\"tool_timeout\"}")).isEqualTo(before + 1);
    }

    @Test
    void aToolCallWithArgumentsThatAreNotJsonEndsInToolCallErrorAndTheRunGoesOn() {
        upstream.server.enqueue(Script.toolCalls(ToolCall.of("call_gate", "gate", "{not json")), Script.text("Sorry."));
        double before = metric("agentstream_tool_errors_total{kind=\"tool_bad_arguments\"}");

        List<SseStream.Frame> frames = stream("{\"message\":\"open the gate\"}");

        assertThat(SseStream.names(frames)).contains("ToolCallError").endsWith("RunCompleted");
        assertThat(metric("agentstream_tool_errors_total{kind=\"tool_bad_arguments\"}")).isEqualTo(before + 1);
    }

    private static List<SseStream.Frame> stream(String body) {
        try (SseStream stream = server.postStream("/v1/agents/model/runs", body)) {
            assertThat(stream.status()).isEqualTo(200);
            return stream.rest();
        }
    }

    private static StoredMessage assistantMessage(StoredRun run) {
        return server.storage().store().messages(run.sessionId()).stream()
            .filter(m -> m.messageId().equals(run.assistantMessageId()))
            .findFirst().orElseThrow();
    }

    /** One sample of the server's Prometheus scrape, 0 when it has none yet. */
    private static double metric(String sample) {
        return server.get("/metrics").body().lines()
            .filter(line -> line.startsWith(sample + " "))
            .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1).strip()))
            .findFirst().orElse(0);
    }
}
