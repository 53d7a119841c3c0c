package dev.agentstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunError;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunPaused;
import dev.agentstream.event.ToolCallCompleted;
import dev.agentstream.testkit.DemoChatModel;
import dev.agentstream.testkit.DemoTools;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The offline demo model drives the real agent loop: the server's default start depends on it. */
class DemoModelRunTest {

    private final AgentRuntime runtime = AgentRuntime.builder().build();
    private final Agent assistant = Agent.builder().id("assistant")
        .model(DemoChatModel.builder().wordDelay(Duration.ofMillis(1)).build())
        .tools(new DemoTools()).requireConfirmation("send_email").build();

    @AfterEach
    void close() {
        runtime.close();
    }

    private List<RunEvent> run(String message) {
        return runtime.start(assistant, RunRequest.of(message)).events().toList();
    }

    @Test
    void storyStreamsTheAskedNumberOfWords() {
        List<RunEvent> events = run("story 12");

        assertThat(((RunCompleted) events.getLast()).content().trim().split("\\s+")).hasSize(12);
        assertThat(events).filteredOn(e -> "RunContent".equals(e.eventName())).hasSizeGreaterThanOrEqualTo(12);
    }

    @Test
    void calculateCallsTheCalculatorAndStatesTheResult() {
        List<RunEvent> events = run("calculate 2+3");

        assertThat(events).filteredOn(e -> e instanceof ToolCallCompleted).singleElement()
            .satisfies(e -> assertThat(((ToolCallCompleted) e).tool().result()).isEqualTo("5"));
        assertThat(((RunCompleted) events.getLast()).content()).contains("5");
    }

    @Test
    void emailPausesForConfirmation() {
        List<RunEvent> events = run("email bob@example.com lunch at noon");

        assertThat(events.getLast()).isInstanceOf(RunPaused.class);
        assertThat(((RunPaused) events.getLast()).tools()).singleElement()
            .satisfies(tool -> assertThat(tool.toolName()).isEqualTo("send_email"));
    }

    @Test
    void thinkReasonsFirst() {
        List<RunEvent> events = run("think about otters");

        assertThat(events.get(1).eventName()).isEqualTo("ReasoningStarted");
        assertThat(((RunCompleted) events.getLast()).reasoningContent()).isNotBlank();
    }

    @Test
    void aDemoLeaderAsksEveryMemberAtOnceAndSumsUpTheirAnswers() {
        DemoChatModel model = DemoChatModel.builder().wordDelay(Duration.ofMillis(1)).build();
        Team team = Team.builder().id("demo-team").model(model)
            .member(Agent.builder().id("researcher").model(model).build())
            .member(Agent.builder().id("writer").model(model).build())
            .build();

        List<RunEvent> events = runtime.start(team, RunRequest.of("story 5")).events().toList();

        assertThat(events).filteredOn(e -> "RunCompleted".equals(e.eventName())).extracting(RunEvent::agentId)
            .containsExactlyInAnyOrder("researcher", "writer");
        assertThat(events.getLast().eventName()).isEqualTo("TeamRunCompleted");
        assertThat(((RunCompleted) events.getLast()).content()).contains("researcher said:").contains("writer said:");
    }

    @Test
    void failEndsInRunErrorWithTheTextSoFar() {
        List<RunEvent> events = run("fail");

        RunError error = (RunError) events.getLast();
        assertThat(error.partialContent()).isNotBlank();
        assertThat(error.content()).contains("demo model");
    }
}
