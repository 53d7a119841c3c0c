package dev.agentstream.server.wire.agentos;

import static dev.agentstream.server.wire.agentos.AgentOsClient.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.Agent;
import dev.agentstream.Team;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.testkit.DemoChatModel;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stream rules of the Agent UI contract, over real HTTP: what each event carries and how the body ends. */
@Timeout(30)
class AgentOsRunStreamTest {

    static final DemoChatModel MODEL = DemoChatModel.builder().wordDelay(Duration.ofMillis(2)).build();

    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .wordDelay(Duration.ofMillis(10))
        .customize(b -> b.team(Team.builder().id("crew").model(MODEL)
            .member(Agent.builder().id("researcher").model(MODEL).build())
            .member(Agent.builder().id("writer").model(MODEL).build())
            .build()))
        .shared();

    final AgentOsClient client = new AgentOsClient(server);

    @Test
    void aMultipartRunStreamsAgnoEventsWithTheNameInsideEachJsonObject() {
        AgentOsClient.Streamed run = client.run("assistant", "story 12", "");

        assertThat(run.response().statusCode()).isEqualTo(200);
        assertThat(run.names().getFirst()).isEqualTo("RunStarted");
        assertThat(run.names().getLast()).isEqualTo("RunCompleted");
        assertThat(run.names()).contains("RunContent");
        for (JsonNode event : run.events()) {
            assertThat(event.path("event").isTextual()).as("event inside %s", event).isTrue();
            assertThat(event.has("data")).as("no top-level data key in %s", event).isFalse();
            assertThat(event.path("run_id").asText()).isEqualTo(run.runId());
            assertThat(event.path("session_id").asText()).isEqualTo(run.sessionId());
            assertThat(event.path("created_at").isIntegralNumber()).isTrue();
        }
        // Each event's JSON is one data: line, so no scanner ever sees a "data: " inside an object.
        List<String> dataLines = Arrays.stream(run.response().body().split("\n")).filter(l -> l.startsWith("data:")).toList();
        assertThat(dataLines).hasSameSizeAs(run.events()).allSatisfy(line -> assertThat(line).startsWith("data: {").endsWith("}"));
        assertThat(run.response().body()).doesNotContain("{\"event\":\"RunStarted\",\"data\"");
    }

    @Test
    void runStartedAnnouncesTheNewSessionWhenSessionIdIsEmpty() {
        AgentOsClient.Streamed run = client.run("assistant", "story 3", "");

        JsonNode started = run.first("RunStarted");
        assertThat(started.path("session_id").asText()).isNotBlank();
        assertThat(started.path("created_at").asLong()).isPositive();
        assertThat(server.getJson("/sessions/" + run.sessionId(), 200).path("session_id").asText()).isEqualTo(run.sessionId());
    }

    @Test
    void aGivenSessionIdAppendsTheRunToThatSession() {
        AgentOsClient.Streamed first = client.run("assistant", "story 2", "");
        AgentOsClient.Streamed second = client.run("assistant", "story 3", first.sessionId());

        assertThat(second.sessionId()).isEqualTo(first.sessionId());
        assertThat(server.getJson("/sessions/" + first.sessionId() + "/runs", 200)).hasSize(2);
    }

    @Test
    void everyRunContentCarriesAStringAndRunCompletedTheWholeAnswer() {
        AgentOsClient.Streamed run = client.run("assistant", "story 30", "");

        assertThat(run.events()).filteredOn(e -> e.path("event").asText().equals("RunContent"))
            .allSatisfy(e -> assertThat(e.path("content").isTextual()).isTrue());
        String completed = run.last().path("content").asText();
        assertThat(completed.split("\\s+")).hasSize(30);
        assertThat(completed).isEqualTo(run.streamedText("RunContent"));
    }

    @Test
    void anUrlencodedRunIsTakenLikeAMultipartOne() {
        AgentOsClient.Streamed run = AgentOsClient.streamed(client.send(client.urlencoded("/agents/assistant/runs",
            fields("message", "story 4", "stream", "True", "user_id", "someone@example.com"))));

        assertThat(run.names().getFirst()).isEqualTo("RunStarted");
        assertThat(run.last().path("content").asText().split("\\s+")).hasSize(4);
    }

    @Test
    void aToolCallStartsAndCompletesUnderOneToolCallId() {
        AgentOsClient.Streamed run = client.run("assistant", "calculate 2+3", "");

        JsonNode started = run.first("ToolCallStarted").path("tool");
        JsonNode completed = run.first("ToolCallCompleted").path("tool");
        assertThat(started.path("tool_name").asText()).isEqualTo("calculator");
        assertThat(completed.path("tool_call_id").asText()).isEqualTo(started.path("tool_call_id").asText()).isNotBlank();
        assertThat(completed.path("result").asText()).isEqualTo("5");
        assertThat(run.last().path("content").asText()).contains("The result of 2+3 is 5.");
    }

    @Test
    void aFailingRunEndsWithRunErrorWhoseContentSaysWhy() {
        AgentOsClient.Streamed run = client.run("assistant", "fail", "");

        assertThat(run.names().getLast()).isEqualTo("RunError");
        assertThat(run.last().path("content").asText()).contains("demo model failure");
    }

    @Test
    void aReasoningStepCarriesItsStepUnderExtraData() {
        AgentOsClient.Streamed run = client.run("assistant", "think about rain", "");

        JsonNode steps = run.first("ReasoningStep").path("extra_data").path("reasoning_steps");
        assertThat(steps).hasSize(1);
        assertThat(steps.get(0).path("reasoning").asText()).contains("step by step");
        assertThat(run.last().path("content").asText()).contains("Having thought about rain");
    }

    @Test
    void aTeamRunStreamsTeamEventsAndEndsWithTheTeamsWholeAnswer() {
        AgentOsClient.Streamed run = AgentOsClient.streamed(client.send(client.multipart("/teams/crew/runs",
            fields("message", "story 5", "stream", "true", "session_id", ""))));

        assertThat(run.names().getFirst()).isEqualTo("TeamRunStarted");
        assertThat(run.names().getLast()).isEqualTo("TeamRunCompleted");
        assertThat(run.first("TeamRunStarted").path("session_id").asText()).isNotBlank();
        assertThat(run.last().path("content").asText()).isEqualTo(run.streamedText("TeamRunContent")).isNotBlank();
    }

    @Test
    void streamFalseAnswersTheRunAsJson() {
        HttpResponse<String> response = client.send(client.multipart("/agents/assistant/runs",
            fields("message", "story 6", "stream", "false")));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode run = TestServer.json(response);
        assertThat(run.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(run.path("content").asText().split("\\s+")).hasSize(6);
        assertThat(run.path("run_input").asText()).isEqualTo("story 6");
        assertThat(run.path("run_id").asText()).isNotBlank();
        assertThat(run.path("agent_id").asText()).isEqualTo("assistant");
    }

    @Test
    void eventsArriveWhileTheRunIsStillGoing() {
        try (SseStream stream = client.open(client.multipart("/agents/assistant/runs",
            fields("message", "story 300", "session_id", "")))) {
            String runId = stream.next().json().path("run_id").asText();
            SseStream.Frame content = stream.next();

            assertThat(content.event()).isEqualTo("RunContent");
            assertThat(server.getJson("/v1/runs/" + runId, 200).path("status").asText()).isEqualTo("RUNNING");
        }
    }

    @Test
    void aClientThatGoesAwayCancelsTheRun() {
        String runId;
        try (SseStream stream = client.open(client.multipart("/agents/assistant/runs",
            fields("message", "story 3000", "session_id", "")))) {
            runId = stream.next().json().path("run_id").asText();
            stream.next();
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(server.getJson("/v1/runs/" + runId, 200).path("status").asText()).isEqualTo("INTERRUPTED"));
    }
}
