package dev.agentstream.server.wire.agui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentstream.Agent;
import dev.agentstream.Team;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.server.testing.Upstream;
import dev.agentstream.testkit.DemoChatModel;
import dev.agentstream.testkit.RecordedRequest;
import dev.agentstream.testkit.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The protocol's own client, {@code @ag-ui/client}'s {@code HttpAgent} in Node, against a real
 * agentstream on loopback: what it applies to its messages, its outcomes and its warnings (it warns
 * about every field it strips or event it drops, so a clean run has none).
 */
@Timeout(120)
class AgUiClientTest {

    static final DemoChatModel MODEL = DemoChatModel.builder().wordDelay(Duration.ofMillis(2)).build();
    static final Upstream upstream = new Upstream();

    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .agent(upstream.agent("scripted").build())
        .customize(b -> b.team(Team.builder().id("team").model(MODEL)
            .member(Agent.builder().id("researcher").model(MODEL).build())
            .member(Agent.builder().id("writer").model(MODEL).build())
            .build()))
        .shared();

    @BeforeAll
    static void installClient() throws Exception {
        NodeAgUiClient.install();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @Test
    void httpAgentStreamsATextAnswerIntoOneAssistantMessage() throws Exception {
        JsonNode report = client("assistant", "thread-" + UUID.randomUUID(), runs -> runs.addObject().put("message", "story 5"));
        JsonNode run = report.get("runs").get(0);

        assertClean(report);
        assertThat(run.get("outcome").asText()).isEqualTo("success");
        assertThat(run.get("isRunning").asBoolean()).as("the body closed, so the client is done").isFalse();
        assertThat(types(run).getFirst()).isEqualTo("RUN_STARTED");
        assertThat(types(run).getLast()).isEqualTo("RUN_FINISHED");
        JsonNode answer = last(report.get("messages"));
        assertThat(answer.get("role").asText()).isEqualTo("assistant");
        assertThat(answer.get("content").asText().split(" ")).hasSize(5);
    }

    @Test
    void httpAgentShowsAServerToolCallAndItsResultBeforeTheAnswer() throws Exception {
        JsonNode report = client("assistant", "thread-" + UUID.randomUUID(),
            runs -> runs.addObject().put("message", "calculate 2+3"));
        JsonNode messages = report.get("messages");

        assertClean(report);
        assertThat(roles(messages)).containsExactly("user", "assistant", "tool", "assistant");
        JsonNode call = messages.get(1).get("toolCalls").get(0);
        assertThat(call.get("function").get("name").asText()).isEqualTo("calculator");
        assertThat(call.get("function").get("arguments").asText()).isEqualTo("{\"expression\":\"2+3\"}");
        assertThat(messages.get(2).get("toolCallId").asText()).isEqualTo(call.get("id").asText());
        assertThat(messages.get(2).get("content").asText()).isEqualTo("5");
        assertThat(messages.get(3).get("content").asText()).isEqualTo("The result of 2+3 is 5.");
    }

    @Test
    void aPauseBecomesAPendingInterruptThatResumeAnswersToContinueTheRun() throws Exception {
        JsonNode report = client("assistant", "thread-" + UUID.randomUUID(), runs -> {
            runs.addObject().put("message", "email bob@example.com lunch?");
            runs.addObject().putObject("resume").put("accepted", true);
        });
        JsonNode paused = report.get("runs").get(0);
        JsonNode resumed = report.get("runs").get(1);

        assertClean(report);
        assertThat(paused.get("outcome").asText()).isEqualTo("interrupt");
        JsonNode interrupt = paused.get("pendingInterrupts").get(0);
        assertThat(interrupt.get("reason").asText()).isEqualTo("tool_call");
        String toolCallId = interrupt.get("toolCallId").asText();
        assertThat(types(paused)).contains("TOOL_CALL_END").doesNotContain("TOOL_CALL_RESULT");
        assertThat(resumed.get("outcome").asText()).isEqualTo("success");
        assertThat(resumed.get("pendingInterrupts")).isEmpty();
        JsonNode messages = report.get("messages");
        assertThat(roles(messages)).containsExactly("user", "assistant", "tool", "assistant");
        assertThat(messages.get(2).get("toolCallId").asText()).isEqualTo(toolCallId);
        assertThat(messages.get(3).get("content").asText()).isEqualTo("The email to bob@example.com was sent.");
    }

    @Test
    void abortingTheRunCancelsItClosesTheUpstreamAndStoresItInterruptedWithThePartialAnswer() throws Exception {
        String[] words = new String[400];
        for (int i = 0; i < words.length; i++) {
            words[i] = "word" + i + " ";
        }
        upstream.server.enqueue(Script.text(words).chunkDelay(Duration.ofMillis(20)));
        int before = upstream.server.requests().size();
        String thread = "thread-" + UUID.randomUUID();

        JsonNode report = client("scripted", thread, runs -> runs.addObject().put("message", "go on").put("abortAfter", 3));

        JsonNode run = report.get("runs").get(0);
        assertThat(run.get("runError").get("code").asText()).as("the client's own abort").isEqualTo("abort");
        assertThat(last(report.get("messages")).get("content").asText()).startsWith("word0 word1 word2");
        RecordedRequest request = upstream.server.awaitRequest(before, Duration.ofSeconds(5));
        assertThat(request.awaitClientClosed(Duration.ofSeconds(5))).as("the upstream stream closed").isTrue();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
            assertThat(server.getJson("/v1/sessions/" + thread + "/runs", 200).get("runs").get(0).get("status").asText())
                .isEqualTo("INTERRUPTED"));
        JsonNode stored = last(server.getJson("/v1/sessions/" + thread + "/messages", 200).get("messages"));
        assertThat(stored.get("content").asText()).startsWith("word0 word1 word2");
        assertThat(stored.get("interrupted").asBoolean()).isTrue();
    }

    @Test
    void aFailedRunReachesTheClientAsARunErrorWithItsMessageAndCode() throws Exception {
        JsonNode report = client("assistant", "thread-" + UUID.randomUUID(), runs -> runs.addObject().put("message", "fail"));
        JsonNode run = report.get("runs").get(0);

        assertClean(report);
        assertThat(run.get("rejected").isNull()).as("RUN_ERROR resolves runAgent()").isTrue();
        assertThat(run.get("runError").get("message").asText()).contains("demo model failure");
        assertThat(run.get("runError").get("code").asText()).isNotBlank();
        assertThat(types(run).getLast()).isEqualTo("RUN_ERROR");
    }

    @Test
    void twoRunsOnOneThreadShareTheStoredConversation() throws Exception {
        upstream.server.enqueue(Script.text("Nice to meet you, Ada."), Script.text("Your name is Ada."));
        int before = upstream.server.requests().size();

        JsonNode report = client("scripted", "thread-" + UUID.randomUUID(), runs -> {
            runs.addObject().put("message", "My name is Ada.");
            runs.addObject().put("message", "What is my name?");
        });

        assertClean(report);
        assertThat(last(report.get("messages")).get("content").asText()).isEqualTo("Your name is Ada.");
        List<String> seen = upstream.server.awaitRequest(before + 1, Duration.ofSeconds(5)).messages().stream()
            .map(m -> m.path("role").asText() + ": " + m.path("content").asText()).toList();
        assertThat(seen).containsSubsequence("user: My name is Ada.", "assistant: Nice to meet you, Ada.",
            "user: What is my name?");
        assertThat(Collections.frequency(seen, "user: My name is Ada.")).as("history once, from the store").isEqualTo(1);
    }

    @Test
    void aTeamRunShowsEachMembersMessageNamedAfterItAndTheLeadersSummary() throws Exception {
        JsonNode report = client("team", "thread-" + UUID.randomUUID(), runs -> runs.addObject().put("message", "story 3"));

        assertClean(report);
        List<String> names = new ArrayList<>();
        report.get("messages").forEach(m -> {
            if (m.has("name")) {
                names.add(m.get("name").asText());
            }
        });
        assertThat(names).containsExactlyInAnyOrder("researcher", "writer");
        assertThat(last(report.get("messages")).get("content").asText()).startsWith("The team has answered.");
    }

    @Test
    void anUnknownAgentRejectsRunAgentWithTheHttpStatusAndTheJsonBody() throws Exception {
        JsonNode report = client("nobody", "thread-" + UUID.randomUUID(), runs -> runs.addObject().put("message", "hi"));

        assertThat(report.get("runs").get(0).get("rejected").asText()).startsWith("HTTP 404: ").contains("agent_not_found");
    }

    private static JsonNode client(String agent, String thread, Consumer<ArrayNode> runs) throws Exception {
        ObjectNode plan = JsonNodeFactory.instance.objectNode();
        plan.put("url", server.uri(agent.equals("team") ? "/agui/teams/team" : "/agui/agents/" + agent).toString());
        plan.put("threadId", thread);
        runs.accept(plan.putArray("runs"));
        return NodeAgUiClient.run(plan);
    }

    /** No run rejected, nothing stripped, dropped or refused by the client. */
    private static void assertClean(JsonNode report) {
        assertThat(report.get("logged")).as("client warnings").isEmpty();
        report.get("runs").forEach(run -> assertThat(run.get("rejected").isNull()).as(run.get("rejected").asText()).isTrue());
    }

    private static List<String> types(JsonNode run) {
        List<String> types = new ArrayList<>();
        run.get("events").forEach(e -> types.add(e.get("type").asText()));
        return types;
    }

    private static List<String> roles(JsonNode messages) {
        List<String> roles = new ArrayList<>();
        messages.forEach(m -> roles.add(m.get("role").asText()));
        return roles;
    }

    private static JsonNode last(JsonNode array) {
        return array.get(array.size() - 1);
    }
}
