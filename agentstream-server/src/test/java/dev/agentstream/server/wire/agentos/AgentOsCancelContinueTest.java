package dev.agentstream.server.wire.agentos;

import static dev.agentstream.server.wire.agentos.AgentOsClient.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The rest of the AgentOS run surface: cancel a run, continue a paused one with the user's decisions. */
@Timeout(30)
class AgentOsCancelContinueTest {

    @RegisterExtension
    static final TestServer server = TestServer.builder().wordDelay(Duration.ofMillis(10)).shared();

    final AgentOsClient client = new AgentOsClient(server);

    @Test
    void cancelStopsARunningRunAndItsStreamEnds() {
        try (SseStream stream = client.open(client.multipart("/agents/assistant/runs",
            fields("message", "story 3000", "session_id", "")))) {
            String runId = stream.next().json().path("run_id").asText();
            stream.until("RunContent");

            HttpResponse<String> cancel = server.send(server.request("/agents/assistant/runs/" + runId + "/cancel")
                .POST(HttpRequest.BodyPublishers.noBody()).build());

            assertThat(cancel.statusCode()).isEqualTo(200);
            assertThat(TestServer.json(cancel).isObject()).isTrue();
            SseStream.Frame last = stream.rest().getLast();
            assertThat(last.event()).isEqualTo("RunCancelled");
            assertThat(last.json().path("content").asText()).isEqualTo("Run cancelled");
            assertThat(stream.ended()).isTrue();
        }
    }

    @Test
    void aRunCannotBeCancelledThroughAnotherComponentsPath() {
        String runId = client.run("assistant", "story 1", "").runId();

        HttpResponse<String> cancel = server.send(server.request("/teams/assistant/runs/" + runId + "/cancel")
            .POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(cancel.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(cancel).path("detail").asText()).contains("Team not found");
    }

    @Test
    void aPausedRunContinuesWithTheConfirmedToolsAsAFormField() {
        AgentOsClient.Streamed paused = client.run("assistant", "email bob@example.com lunch tomorrow?", "");
        assertThat(paused.names().getLast()).isEqualTo("RunPaused");
        ArrayNode tools = (ArrayNode) paused.last().path("tools").deepCopy();
        assertThat(tools.get(0).path("requires_confirmation").asBoolean()).isTrue();
        ((ObjectNode) tools.get(0)).put("confirmed", true);

        AgentOsClient.Streamed continued = AgentOsClient.streamed(client.send(client.multipart(
            "/agents/assistant/runs/" + paused.runId() + "/continue",
            fields("tools", tools.toString(), "session_id", paused.sessionId(), "stream", "true"))));

        assertThat(continued.response().statusCode()).isEqualTo(200);
        assertThat(continued.names().getFirst()).isEqualTo("RunContinued");
        assertThat(continued.names()).contains("ToolCallCompleted");
        assertThat(continued.names().getLast()).isEqualTo("RunCompleted");
        JsonNode completed = continued.first("ToolCallCompleted").path("tool");
        assertThat(completed.path("tool_call_id").asText()).isEqualTo(tools.get(0).path("tool_call_id").asText());
        assertThat(continued.last().path("content").asText()).isNotBlank();
    }

    @Test
    void aRejectedToolIsReportedAndTheRunCompletes() {
        AgentOsClient.Streamed paused = client.run("assistant", "email bob@example.com hello", "");
        ArrayNode tools = (ArrayNode) paused.last().path("tools").deepCopy();
        ((ObjectNode) tools.get(0)).put("confirmed", false).put("confirmation_note", "not now");

        HttpResponse<String> response = client.send(client.urlencoded(
            "/agents/assistant/runs/" + paused.runId() + "/continue", fields("tools", tools.toString(), "stream", "false")));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode run = TestServer.json(response);
        assertThat(run.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(run.path("tools").get(0).path("confirmed").asBoolean(true)).isFalse();
    }

    @Test
    void continueWithToolsThatAreNotJsonIs400WithDetail() {
        AgentOsClient.Streamed paused = client.run("assistant", "email bob@example.com hi", "");

        HttpResponse<String> response = client.send(client.multipart(
            "/agents/assistant/runs/" + paused.runId() + "/continue", fields("tools", "[{not json")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(response).path("detail").asText()).contains("tools");
    }
}
