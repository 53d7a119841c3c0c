package dev.agentstream.server.wire.agui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentstream.Agent;
import dev.agentstream.Team;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.event.UserInputField;
import dev.agentstream.testkit.DemoChatModel;
import dev.agentstream.testkit.DemoTools;
import dev.langchain4j.agent.tool.ToolSpecification;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The AG-UI wire rules, read from the raw response: order, framing, values, and refusals before the stream. */
@Timeout(30)
class AgUiWireTest {

    static final DemoChatModel MODEL = DemoChatModel.builder().wordDelay(Duration.ofMillis(2)).build();

    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .agent(Agent.builder().id("asker").model(MODEL).tools(new DemoTools())
            .requireUserInput("send_email", new UserInputField("subject", "str", "Subject line", null)).build())
        .agent(Agent.builder().id("outsider").model(MODEL).externalTool(ToolSpecification.builder()
            .name("send_email").description("Sends an e-mail, outside agentstream").build()).build())
        .customize(b -> b.team(Team.builder().id("team").model(MODEL)
            .member(Agent.builder().id("researcher").model(MODEL).build())
            .member(Agent.builder().id("writer").model(MODEL).build())
            .build()))
        .shared();

    private static String thread() {
        return "thread-" + UUID.randomUUID();
    }

    private static AgUiStream run(String message) {
        return AgUiStream.post(server, "/agui/agents/assistant", AgUiStream.input(thread(), message));
    }

    @Test
    void aTextRunIsOneTextMessageBetweenRunStartedAndRunFinishedEchoingTheRequestIds() {
        ObjectNode input = AgUiStream.input(thread(), "story 5");

        AgUiStream stream = AgUiStream.post(server, "/agui/agents/assistant", input).assertInOrder();

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.shape()).containsExactly("RUN_STARTED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT*",
            "TEXT_MESSAGE_END", "RUN_FINISHED");
        for (JsonNode runEvent : List.of(stream.events().getFirst(), stream.last())) {
            assertThat(runEvent.get("threadId").asText()).isEqualTo(input.get("threadId").asText());
            assertThat(runEvent.get("runId").asText()).isEqualTo(input.get("runId").asText());
        }
        assertThat(stream.events().getFirst().get("protocolVersion").asText()).isEqualTo("1.0");
        assertThat(stream.last().has("outcome")).isFalse();
        String messageId = stream.ofType("TEXT_MESSAGE_START").getFirst().get("messageId").asText();
        assertThat(stream.ofType("TEXT_MESSAGE_START").getFirst().get("role").asText()).isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        stream.ofType("TEXT_MESSAGE_CONTENT").forEach(e -> {
            assertThat(e.get("messageId").asText()).isEqualTo(messageId);
            text.append(e.get("delta").asText());
        });
        assertThat(text.toString().split(" ")).hasSize(5);
    }

    @Test
    void framesAreLfOnlyDataLinesOfJsonWithIntegerMillisecondTimestampsAndNoNulls() {
        AgUiStream stream = run("calculate 2+3");

        assertThat(stream.raw()).doesNotContain("\r");
        for (String line : stream.raw().split("\n")) {
            assertThat(line).matches("|data: \\{.*\\}|id: \\d+|:.*");
        }
        long now = System.currentTimeMillis();
        for (JsonNode event : stream.events()) {
            assertThat(event.get("timestamp").isIntegralNumber()).as("timestamp of %s", event).isTrue();
            assertThat(event.get("timestamp").asLong()).isBetween(now - 60_000, now + 1_000);
            assertThat(nulls(event)).as("nulls in %s", event).isEmpty();
        }
    }

    @Test
    void theBodyClosesAfterTheTerminalEvent() {
        AgUiStream stream = run("story 3");

        assertThat(stream.ended()).isTrue();
        assertThat(stream.types().getLast()).isEqualTo("RUN_FINISHED");
        assertThat(stream.raw()).endsWith("\n\n");
    }

    @Test
    void aToolCallIsStartArgsEndAndAResultAttachedToItsAssistantMessageThenTheAnswer() {
        AgUiStream stream = run("calculate 2+3").assertInOrder();

        assertThat(stream.types()).containsSubsequence("TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END",
            "TOOL_CALL_RESULT", "TEXT_MESSAGE_START", "TEXT_MESSAGE_END", "RUN_FINISHED");
        JsonNode start = stream.ofType("TOOL_CALL_START").getFirst();
        assertThat(start.get("toolCallName").asText()).isEqualTo("calculator");
        assertThat(start.get("parentMessageId").asText()).isNotBlank();
        JsonNode args = stream.ofType("TOOL_CALL_ARGS").getFirst();
        assertThat(args.get("delta").asText()).isEqualTo("{\"expression\":\"2+3\"}");
        JsonNode result = stream.ofType("TOOL_CALL_RESULT").getFirst();
        assertThat(result.get("toolCallId").asText()).isEqualTo(start.get("toolCallId").asText());
        assertThat(result.get("content").isTextual()).isTrue();
        assertThat(result.get("content").asText()).isEqualTo("5");
        assertThat(result.get("messageId").asText()).isNotEqualTo(start.get("parentMessageId").asText());
    }

    @Test
    void reasoningIsAReasoningMessageInsideAReasoningSpanBeforeTheAnswer() {
        AgUiStream stream = run("think about rivers").assertInOrder();

        assertThat(stream.shape()).containsExactly("RUN_STARTED", "REASONING_START", "REASONING_MESSAGE_START",
            "REASONING_MESSAGE_CONTENT*", "REASONING_MESSAGE_END", "REASONING_END", "TEXT_MESSAGE_START",
            "TEXT_MESSAGE_CONTENT*", "TEXT_MESSAGE_END", "RUN_FINISHED");
        assertThat(stream.ofType("REASONING_MESSAGE_START").getFirst().get("role").asText()).isEqualTo("reasoning");
        StringBuilder thinking = new StringBuilder();
        stream.ofType("REASONING_MESSAGE_CONTENT").forEach(e -> thinking.append(e.get("delta").asText()));
        assertThat(thinking.toString()).contains("think about rivers");
    }

    @Test
    void aPauseEndsWithAnInterruptPerPausedCallWhoseCallHasNoResult() {
        AgUiStream stream = run("email bob@example.com lunch?").assertInOrder();

        assertThat(stream.types()).contains("TOOL_CALL_START", "TOOL_CALL_END").doesNotContain("TOOL_CALL_RESULT");
        String toolCallId = stream.ofType("TOOL_CALL_START").getFirst().get("toolCallId").asText();
        JsonNode outcome = stream.last().get("outcome");
        assertThat(outcome.get("type").asText()).isEqualTo("interrupt");
        JsonNode interrupt = outcome.get("interrupts").get(0);
        assertThat(interrupt.get("id").asText()).isEqualTo(toolCallId);
        assertThat(interrupt.get("toolCallId").asText()).isEqualTo(toolCallId);
        assertThat(interrupt.get("reason").asText()).isEqualTo("tool_call");
        assertThat(interrupt.get("responseSchema").get("required").toString()).isEqualTo("[\"accepted\"]");
    }

    @Test
    void aResumeEntryAnswersTheInterruptAndTheRunGoesOnInANewResponse() {
        String thread = thread();
        AgUiStream paused = AgUiStream.post(server, "/agui/agents/assistant",
            AgUiStream.input(thread, "email bob@example.com lunch?"));
        String toolCallId = paused.ofType("TOOL_CALL_START").getFirst().get("toolCallId").asText();
        ObjectNode resume = AgUiStream.resume(thread, paused.interrupt().get("id").asText(), AgUiStream.ACCEPT);

        AgUiStream continued = AgUiStream.post(server, "/agui/agents/assistant", resume).assertInOrder();

        assertThat(continued.events().getFirst().get("runId").asText()).isEqualTo(resume.get("runId").asText());
        JsonNode result = continued.ofType("TOOL_CALL_RESULT").getFirst();
        assertThat(result.get("toolCallId").asText()).isEqualTo(toolCallId);
        assertThat(text(continued)).contains("was sent");
        assertThat(continued.last().get("type").asText()).isEqualTo("RUN_FINISHED");
        assertThat(continued.last().has("outcome")).isFalse();
    }

    @Test
    void userInputIsAnInputRequiredInterruptWhoseSchemaNamesTheFieldsAndValuesAnswerIt() {
        String thread = thread();
        AgUiStream paused = AgUiStream.post(server, "/agui/agents/asker", AgUiStream.input(thread, "email bob@example.com hi"));
        JsonNode interrupt = paused.interrupt();
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.putObject("values").put("subject", "Lunch");
        ObjectNode resume = AgUiStream.resume(thread, interrupt.get("id").asText(), answer);

        AgUiStream continued = AgUiStream.post(server, "/agui/agents/asker", resume).assertInOrder();

        assertThat(interrupt.get("reason").asText()).isEqualTo("input_required");
        JsonNode values = interrupt.get("responseSchema").get("properties").get("values");
        assertThat(values.get("properties").get("subject").get("type").asText()).isEqualTo("string");
        assertThat(values.get("required").toString()).isEqualTo("[\"subject\"]");
        assertThat(continued.ofType("TOOL_CALL_RESULT")).hasSize(1);
        assertThat(text(continued)).contains("was sent");
    }

    @Test
    void anExternalCallIsAToolCallInterruptAndItsResultAnswersIt() {
        String thread = thread();
        AgUiStream paused = AgUiStream.post(server, "/agui/agents/outsider", AgUiStream.input(thread, "email bob@example.com hi"));
        JsonNode interrupt = paused.interrupt();
        ObjectNode resume = AgUiStream.resume(thread, interrupt.get("id").asText(), TextNode.valueOf("queued for delivery"));

        AgUiStream continued = AgUiStream.post(server, "/agui/agents/outsider", resume).assertInOrder();

        assertThat(interrupt.get("reason").asText()).isEqualTo("tool_call");
        assertThat(interrupt.has("responseSchema")).isFalse();
        assertThat(continued.ofType("TOOL_CALL_RESULT").getFirst().get("content").asText()).isEqualTo("queued for delivery");
        assertThat(continued.last().get("type").asText()).isEqualTo("RUN_FINISHED");
    }

    @Test
    void anAnswerThatDoesNotFitItsInterruptIsA422BeforeAnyStream() {
        String thread = thread();
        AgUiStream paused = AgUiStream.post(server, "/agui/agents/assistant", AgUiStream.input(thread, "email bob@example.com hi"));
        ObjectNode noAccepted = AgUiStream.resume(thread, paused.interrupt().get("id").asText(),
            JsonNodeFactory.instance.objectNode());
        ObjectNode unknownCall = AgUiStream.resume(thread, "call-nope", AgUiStream.ACCEPT);

        for (ObjectNode input : List.of(noAccepted, unknownCall)) {
            HttpResponse<String> response = server.post("/agui/agents/assistant", input.toString());
            assertThat(response.statusCode()).as(input.toString()).isEqualTo(422);
            assertThat(TestServer.json(response).get("error").get("message").asText()).isNotBlank();
        }
    }

    @Test
    void trailingToolMessagesAnswerAPausedRunAsAgnoClientsSendThem() {
        String thread = thread();
        AgUiStream paused = AgUiStream.post(server, "/agui/agents/assistant",
            AgUiStream.input(thread, "email bob@example.com lunch?"));
        String toolCallId = paused.ofType("TOOL_CALL_START").getFirst().get("toolCallId").asText();
        ObjectNode answer = AgUiStream.input(thread, "email bob@example.com lunch?");
        answer.withArray("messages").addObject().put("id", "a1").put("role", "assistant")
            .putArray("toolCalls").addObject().put("id", toolCallId).put("type", "function")
            .putObject("function").put("name", "send_email").put("arguments", "{}");
        answer.withArray("messages").addObject().put("id", "t1").put("role", "tool").put("toolCallId", toolCallId)
            .put("content", "{\"accepted\": false, \"note\": \"not now\"}");

        AgUiStream continued = AgUiStream.post(server, "/agui/agents/assistant", answer).assertInOrder();

        assertThat(continued.ofType("TOOL_CALL_RESULT").getFirst().get("content").asText()).contains("rejected", "not now");
        assertThat(text(continued)).contains("not sent");
    }

    @Test
    void aFailureIsRunErrorWithItsMessageAndCode() {
        AgUiStream stream = run("fail").assertInOrder();

        JsonNode error = stream.last();
        assertThat(error.get("type").asText()).isEqualTo("RUN_ERROR");
        assertThat(error.get("message").asText()).contains("demo model failure");
        assertThat(error.get("code").asText()).isNotBlank();
        assertThat(stream.types()).doesNotContain("RUN_FINISHED");
    }

    @Test
    void aTeamStreamsTheLeadersMessagesAndEachMembersMessagesNamedAfterIt() {
        AgUiStream stream = AgUiStream.post(server, "/agui/teams/team", AgUiStream.input(thread(), "story 4"))
            .assertInOrder();

        assertThat(stream.last().get("type").asText()).isEqualTo("RUN_FINISHED");
        List<String> names = stream.ofType("TEXT_MESSAGE_START").stream()
            .filter(e -> e.has("name")).map(e -> e.get("name").asText()).toList();
        assertThat(names).containsExactlyInAnyOrder("researcher", "writer");
        assertThat(stream.ofType("TOOL_CALL_START")).extracting(e -> e.get("toolCallName").asText())
            .containsExactlyInAnyOrder("ask_researcher", "ask_writer");
        assertThat(stream.ofType("TEXT_MESSAGE_START").getLast().has("name")).as("the leader sums up").isFalse();
    }

    @Test
    void anAgentIsNotATeamAndAnUnknownAgentIs404WithAJsonBody() {
        HttpResponse<String> notATeam = server.post("/agui/teams/assistant", AgUiStream.input(thread(), "hi").toString());
        HttpResponse<String> unknown = server.post("/agui/agents/nobody", AgUiStream.input(thread(), "hi").toString());

        assertThat(notATeam.statusCode()).isEqualTo(404);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(unknown).get("error").get("code").asText()).isEqualTo("agent_not_found");
    }

    @Test
    void malformedInputIsRefusedWithA4xxJsonBodyBeforeAnyStream() {
        ObjectNode noUser = AgUiStream.input(thread(), null);
        ObjectNode badThread = AgUiStream.input("not a thread id!", "hi");
        ObjectNode noMessages = AgUiStream.input(thread(), "hi");
        noMessages.remove("messages");

        for (ObjectNode input : List.of(noUser, badThread, noMessages)) {
            HttpResponse<String> response = server.post("/agui/agents/assistant", input.toString());
            assertThat(response.statusCode()).as(input.toString()).isEqualTo(422);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(TestServer.json(response).get("error").get("message").asText()).isNotBlank();
        }
        assertThat(server.post("/agui/agents/assistant", "[1]").statusCode()).isEqualTo(400);
    }

    @Test
    void resumeOnAThreadWithNothingPausedIsAConflict() {
        String thread = thread();
        AgUiStream.post(server, "/agui/agents/assistant", AgUiStream.input(thread, "story 2"));
        ObjectNode resume = AgUiStream.resume(thread, "call-1", AgUiStream.ACCEPT);

        HttpResponse<String> response = server.post("/agui/agents/assistant", resume.toString());

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).contains("run_not_paused");
    }

    @Test
    void unknownMembersOfTheInputAreIgnored() {
        ObjectNode input = AgUiStream.input(thread(), "story 2");
        input.put("protocolVersion", "1.0").put("somethingNew", true);
        input.withArray("tools").addObject().put("name", "frontend_tool");

        assertThat(AgUiStream.post(server, "/agui/agents/assistant", input).types().getLast()).isEqualTo("RUN_FINISHED");
    }

    @Test
    void theStatusRouteSaysTheEndpointIsAvailable() {
        assertThat(server.getJson("/agui/status", 200).get("status").asText()).isEqualTo("available");
    }

    private static String text(AgUiStream stream) {
        StringBuilder text = new StringBuilder();
        stream.ofType("TEXT_MESSAGE_CONTENT").forEach(e -> text.append(e.get("delta").asText()));
        return text.toString();
    }

    private static List<String> nulls(JsonNode node) {
        List<String> found = new ArrayList<>();
        node.properties().forEach(field -> {
            if (field.getValue().isNull()) {
                found.add(field.getKey());
            } else if (field.getValue().isObject()) {
                found.addAll(nulls(field.getValue()));
            } else if (field.getValue().isArray()) {
                field.getValue().forEach(item -> {
                    if (item.isObject()) {
                        found.addAll(nulls(item));
                    }
                });
            }
        });
        return found;
    }
}
