package dev.agentstream.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    private static final EventHeader H = new EventHeader(3, "run-1", "session-1", "assistant", null, 1_764_000_000L);

    private static final ToolExecution TOOL = ToolExecution.started("call_1", "calculator", Map.of("expression", "2+3"))
        .withResult("5", false, new ToolExecution.ToolMetrics(0.01));

    private static final List<RunEvent> ONE_OF_EACH = List.of(
        new RunStarted(H, "gpt-4o-mini"),
        new RunContent(H, "Hel"),
        new RunContentCompleted(H),
        new ToolCallStarted(H, ToolExecution.started("call_1", "calculator", Map.of("expression", "2+3"))),
        new ToolCallCompleted(H, TOOL),
        new ToolCallError(H, TOOL.withResult("boom", true, null), "boom"),
        new ReasoningStarted(H),
        new ReasoningContentDelta(H, "hmm"),
        new ReasoningStep(H, "hmm, yes"),
        new ReasoningCompleted(H, "hmm, yes"),
        new RunPaused(H, List.of(TOOL.withRequirements(true, null, null, null)),
            List.of(new RunRequirement("call_1", RunRequirement.Kind.USER_INPUT, TOOL,
                List.of(new UserInputField("to", "str", "Recipient", null))))),
        new RunContinued(H),
        new RunCancelled(H, "cancelled", "partial"),
        new RunError(H, "HTTP 500", "ModelError", "partial"),
        new RunCompleted(H, "Hello", "thought", new Metrics(10, 5, 15, 0.2, 1.5)));

    @Test
    void everyEventRoundTripsThroughJson() {
        for (RunEvent event : ONE_OF_EACH) {
            assertThat(EventJson.readEvent(EventJson.write(event))).isEqualTo(event);
        }
    }

    @Test
    void eventsAreSnakeCaseWithAgnoNamesAndNullsLeftOut() throws Exception {
        JsonNode json = EventJson.mapper().readTree(EventJson.write(new RunContent(H, "Hi")));

        assertThat(json.get("event").asText()).isEqualTo("RunContent");
        assertThat(json.get("run_id").asText()).isEqualTo("run-1");
        assertThat(json.get("session_id").asText()).isEqualTo("session-1");
        assertThat(json.get("agent_id").asText()).isEqualTo("assistant");
        assertThat(json.get("created_at").asLong()).isEqualTo(1_764_000_000L);
        assertThat(json.get("seq").asLong()).isEqualTo(3);
        assertThat(json.get("content").asText()).isEqualTo("Hi");
        assertThat(json.has("parent_run_id")).isFalse();
        assertThat(json.size()).isEqualTo(7);
    }

    @Test
    void toolExecutionsUseAgnoFieldNames() throws Exception {
        JsonNode tool = EventJson.mapper().readTree(EventJson.write(new ToolCallCompleted(H, TOOL))).get("tool");

        assertThat(tool.get("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(tool.get("tool_name").asText()).isEqualTo("calculator");
        assertThat(tool.get("tool_args").get("expression").asText()).isEqualTo("2+3");
        assertThat(tool.get("result").asText()).isEqualTo("5");
        assertThat(tool.has("requires_confirmation")).isFalse();
    }

    @Test
    void aTeamsOwnEventsCarryTheTeamPrefixAndRoundTrip() throws Exception {
        EventHeader team = new EventHeader(4, "run-t", "session-1", null, "research-team", null, 1L);
        RunContent event = new RunContent(team, "From the team");

        String json = EventJson.write(event);
        JsonNode tree = EventJson.mapper().readTree(json);

        assertThat(event.eventName()).isEqualTo("TeamRunContent");
        assertThat(tree.get("event").asText()).isEqualTo("TeamRunContent");
        assertThat(tree.get("team_id").asText()).isEqualTo("research-team");
        assertThat(tree.has("agent_id")).isFalse();
        assertThat(EventJson.readEvent(json)).isEqualTo(event);
    }

    @Test
    void unknownFieldsFromANewerServerAreIgnored() {
        RunEvent event = EventJson.readEvent(
            "{\"event\":\"RunContent\",\"seq\":1,\"run_id\":\"r\",\"session_id\":\"s\",\"agent_id\":\"a\","
                + "\"created_at\":1,\"content\":\"x\",\"something_new\":true}");

        assertThat(event).isEqualTo(new RunContent(new EventHeader(1, "r", "s", "a", null, 1), "x"));
    }
}
