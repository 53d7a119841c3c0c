package dev.agentstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.event.ToolCallError;
import dev.agentstream.run.FaultKind;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tool calls that go wrong: each ends in ToolCallError, the model is told, and the run goes on. */
class ToolFaultTest {

    private final FaultRig rig = new FaultRig();

    @AfterEach
    void close() {
        rig.close();
    }

    static final class Tools {
        /** Completed with whether the slow tool saw its thread interrupted. */
        final CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        private final CountDownLatch never = new CountDownLatch(1);

        @Tool("Adds two integers")
        public int add(@P("a") int a, @P("b") int b) {
            return a + b;
        }

        @Tool("Always fails")
        public String broken() {
            throw new IllegalStateException("the tool is broken");
        }

        @Tool("Waits for something that never comes")
        public String slow() {
            try {
                never.await(1, TimeUnit.MINUTES);
                interrupted.complete(false);
                return "done";
            } catch (InterruptedException e) {
                interrupted.complete(true);
                return "interrupted";
            }
        }
    }

    static Stream<Arguments> badCalls() {
        return Stream.of(
            Arguments.of("unknown tool", ToolCall.of("c1", "no_such_tool", "{}"), FaultKind.TOOL_UNKNOWN,
                "unknown tool: no_such_tool (the tools are "),
            Arguments.of("a tool that throws", ToolCall.of("c1", "broken", "{}"), FaultKind.TOOL_FAILED, "the tool is broken"),
            Arguments.of("arguments not JSON", ToolCall.of("c1", "add", "{\"a\": 2, \"b\":"), FaultKind.TOOL_BAD_ARGUMENTS,
                "tool add: the arguments are not valid JSON"),
            Arguments.of("arguments not an object", ToolCall.of("c1", "add", "[2, 3]"), FaultKind.TOOL_BAD_ARGUMENTS,
                "tool add: the arguments must be a JSON object"),
            Arguments.of("a required parameter missing", ToolCall.of("c1", "add", "{\"a\": 2}"), FaultKind.TOOL_BAD_ARGUMENTS,
                "tool add: the arguments do not match its parameters: b is required"),
            Arguments.of("a parameter of the wrong type", ToolCall.of("c1", "add", "{\"a\": 2, \"b\": \"three\"}"),
                FaultKind.TOOL_BAD_ARGUMENTS,
                "tool add: the arguments do not match its parameters: b: expected an integer, got \"three\""));
    }

    @ParameterizedTest(name = "{0}: ToolCallError, the model is told, the run goes on")
    @MethodSource("badCalls")
    void aBadToolCallEndsInToolCallErrorAndTheModelIsToldWhileTheRunGoesOn(String name, ToolCall call, FaultKind kind,
                                                                         String error) {
        rig.upstream.server.enqueue(Script.toolCalls(call), Script.text("Sorry, let me fix that."));

        RunHandle run = rig.runtime.start(rig.upstream.agent().tools(new Tools()).build(), RunRequest.of("add 2 and 3"));
        List<RunEvent> events = run.events().toList();

        assertThat(Upstream.names(events)).containsExactly("RunStarted", "ToolCallStarted", "ToolCallError", "RunContent",
            "RunContentCompleted", "RunCompleted");
        ToolCallError toolError = (ToolCallError) events.get(2);
        assertThat(toolError.error()).startsWith(error);
        assertThat(toolError.tool().toolCallError()).isTrue();
        String toolMessage = rig.upstream.server.requests().get(1).messages().getLast().get("content").asText();
        assertThat(toolMessage).isEqualTo("Error: " + toolError.error());
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(rig.faults.faults).containsExactly(kind);
    }

    @Test
    void aToolPastItsTimeoutIsInterruptedAndTheRunGoesOn() throws Exception {
        Tools tools = new Tools();
        rig.upstream.server.enqueue(Script.toolCalls(ToolCall.of("c1", "slow", "{}")), Script.text("It took too long."));
        Agent agent = rig.upstream.agent().tools(tools).toolTimeout("slow", Duration.ofMillis(300)).build();

        long start = System.nanoTime();
        RunHandle run = rig.runtime.start(agent, RunRequest.of("wait"));
        List<RunEvent> events = run.events().toList();

        assertThat((System.nanoTime() - start) / 1e9).isLessThan(10.0);
        assertThat(tools.interrupted.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Upstream.names(events)).containsExactly("RunStarted", "ToolCallStarted", "ToolCallError", "RunContent",
            "RunContentCompleted", "RunCompleted");
        assertThat(((ToolCallError) events.get(2)).error()).isEqualTo("tool slow did not finish within 300 ms and was stopped");
        assertThat(rig.upstream.server.requests().get(1).messages().getLast().get("content").asText())
            .isEqualTo("Error: tool slow did not finish within 300 ms and was stopped");
        assertThat(rig.faults.faults).containsExactly(FaultKind.TOOL_TIMEOUT);
    }

    @Test
    void theRuntimesToolTimeoutAppliesToToolsWithoutTheirOwn() throws Exception {
        Tools tools = new Tools();
        try (FaultRig impatient = new FaultRig(runtime -> runtime.toolTimeout(Duration.ofMillis(200)))) {
            impatient.upstream.server.enqueue(Script.toolCalls(ToolCall.of("c1", "slow", "{}")), Script.text("It took too long."));
            RunHandle run = impatient.runtime.start(impatient.upstream.agent().tools(tools).build(), RunRequest.of("wait"));
            List<RunEvent> events = run.events().toList();

            assertThat(tools.interrupted.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(events).filteredOn(e -> e instanceof ToolCallError).singleElement()
                .satisfies(e -> assertThat(((ToolCallError) e).error()).contains("within 200 ms"));
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        }
    }

    @Test
    void aToolThatEndsInTimeIsNotCountedAsAFault() {
        rig.upstream.server.enqueue(Script.toolCalls(ToolCall.of("c1", "add", "{\"a\": 2, \"b\": 3.0}")), Script.text("5"));
        Agent agent = rig.upstream.agent().tools(new Tools()).toolTimeout("add", Duration.ofSeconds(5)).build();

        List<RunEvent> events = rig.runtime.start(agent, RunRequest.of("add")).events().toList();

        assertThat(Upstream.names(events)).contains("ToolCallCompleted").doesNotContain("ToolCallError");
        assertThat(rig.faults.faults).isEmpty();
    }
}
