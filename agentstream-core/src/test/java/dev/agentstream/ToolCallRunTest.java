package dev.agentstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.ToolCallCompleted;
import dev.agentstream.event.ToolCallError;
import dev.agentstream.event.ToolCallStarted;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ToolCallRunTest {

    private final Upstream upstream = new Upstream();
    private final AgentRuntime runtime = AgentRuntime.builder().build();

    @AfterEach
    void close() {
        runtime.close();
        upstream.close();
    }

    /** Two tools that each wait for the other: they only finish if they run at the same time. */
    static final class RendezvousTools {
        final CountDownLatch bothRunning = new CountDownLatch(2);

        @Tool("Adds two numbers")
        public int add(@P("a") int a, @P("b") int b) throws InterruptedException {
            bothRunning.countDown();
            return bothRunning.await(5, TimeUnit.SECONDS) ? a + b : -1;
        }

        @Tool("Multiplies two numbers")
        public int multiply(@P("a") int a, @P("b") int b) throws InterruptedException {
            bothRunning.countDown();
            return bothRunning.await(5, TimeUnit.SECONDS) ? a * b : -1;
        }

        @Tool("Always fails")
        public String broken() {
            throw new IllegalStateException("the tool is broken");
        }
    }

    @Test
    void severalToolCallsOfOneTurnRunConcurrentlyAndTheModelGetsEveryResult() {
        upstream.server.enqueue(
            Script.toolCalls(ToolCall.fragmented("call_a", "add", "{\"a\":", "2,\"b\":3}"),
                ToolCall.of("call_m", "multiply", "{\"a\":4,\"b\":5}")),
            Script.text("2+3=5 and 4*5=20"));
        Agent agent = upstream.agent().tools(new RendezvousTools()).build();

        List<RunEvent> events = runtime.start(agent, RunRequest.of("compute")).events().toList();

        assertThat(Upstream.names(events)).containsExactly("RunStarted", "ToolCallStarted", "ToolCallStarted",
            "ToolCallCompleted", "ToolCallCompleted", "RunContent", "RunContentCompleted", "RunCompleted");
        assertThat(events).filteredOn(e -> e instanceof ToolCallStarted).extracting(e -> ((ToolCallStarted) e).tool().toolName())
            .containsExactly("add", "multiply");
        assertThat(events).filteredOn(e -> e instanceof ToolCallCompleted)
            .extracting(e -> ((ToolCallCompleted) e).tool().result())
            .containsExactlyInAnyOrder("5", "20");
        ToolCallStarted first = (ToolCallStarted) events.get(1);
        assertThat(first.tool().toolArgs()).containsEntry("a", 2).containsEntry("b", 3);

        var secondTurn = upstream.server.requests().get(1).messages();
        assertThat(secondTurn).extracting(m -> m.get("role").asText())
            .containsExactly("system", "user", "assistant", "tool", "tool");
        assertThat(secondTurn.get(3).get("tool_call_id").asText()).isEqualTo("call_a");
        assertThat(secondTurn.get(3).get("content").asText()).isEqualTo("5");
        assertThat(secondTurn.get(4).get("content").asText()).isEqualTo("20");
        assertThat(upstream.server.requests().getFirst().tools()).hasSize(3);
    }

    @Test
    void aToolThatThrowsGivesToolCallErrorAndTheModelIsToldWhileTheRunGoesOn() {
        upstream.server.enqueue(Script.toolCalls(ToolCall.of("call_b", "broken", "{}")),
            Script.text("Sorry, the tool failed."));
        Agent agent = upstream.agent().tools(new RendezvousTools()).build();

        List<RunEvent> events = runtime.start(agent, RunRequest.of("break it")).events().toList();

        assertThat(Upstream.names(events)).containsExactly("RunStarted", "ToolCallStarted", "ToolCallError",
            "RunContent", "RunContentCompleted", "RunCompleted");
        ToolCallError error = (ToolCallError) events.get(2);
        assertThat(error.error()).isEqualTo("the tool is broken");
        assertThat(error.tool().toolCallError()).isTrue();
        assertThat(((RunCompleted) events.getLast()).content()).isEqualTo("Sorry, the tool failed.");
        var toolMessage = upstream.server.requests().get(1).messages().getLast();
        assertThat(toolMessage.get("content").asText()).isEqualTo("Error: the tool is broken");
    }

    @Test
    void aCallToAnUnknownToolIsAnErrorTheModelCanRecoverFrom() {
        upstream.server.enqueue(Script.toolCalls(ToolCall.of("call_x", "no_such_tool", "{}")), Script.text("Oops."));
        Agent agent = upstream.agent().tools(new RendezvousTools()).build();

        List<RunEvent> events = runtime.start(agent, RunRequest.of("x")).events().toList();

        assertThat(events).filteredOn(e -> e instanceof ToolCallError).singleElement()
            .satisfies(e -> assertThat(((ToolCallError) e).error()).contains("unknown tool: no_such_tool"));
        assertThat(events.getLast()).isInstanceOf(RunCompleted.class);
    }
}
