package dev.agentstream.server.wire.v1;

import static dev.agentstream.server.testing.SseStream.names;
import static dev.agentstream.server.testing.SseStream.shape;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class PauseContinueTest {

    @RegisterExtension
    static final TestServer server = TestServer.builder().shared();

    /** Starts a run that pauses for send_email's confirmation; returns its frames. */
    static List<SseStream.Frame> pausedRun(TestServer on) {
        try (SseStream stream = on.run("{\"message\":\"email bob@example.com lunch at noon\"}")) {
            List<SseStream.Frame> frames = stream.rest();
            assertThat(shape(frames)).containsExactly("RunStarted", "ToolCallStarted", "RunPaused");
            return frames;
        }
    }

    static String continueBody(String toolCallId, boolean confirmed) {
        return "{\"tools\":[{\"tool_call_id\":\"" + toolCallId + "\",\"confirmed\":" + confirmed + "}]}";
    }

    @Test
    void aConfirmedContinueStreamsRunContinuedFirstWithSeqsFollowingThePause() {
        List<SseStream.Frame> paused = pausedRun(server);
        JsonNode pause = paused.getLast().json();
        String runId = pause.get("run_id").asText();
        JsonNode requirement = pause.get("requirements").get(0);
        assertThat(requirement.get("kind").asText()).isEqualTo("CONFIRMATION");
        String toolCallId = requirement.get("tool_call_id").asText();
        assertThat(server.getJson("/v1/runs/" + runId, 200).get("status").asText()).isEqualTo("PAUSED");

        try (SseStream stream = server.postStream("/v1/runs/" + runId + "/continue", continueBody(toolCallId, true))) {
            List<SseStream.Frame> frames = stream.rest();

            assertThat(stream.status()).isEqualTo(200);
            assertThat(shape(frames)).containsExactly("RunContinued", "ToolCallCompleted", "RunContent*",
                "RunContentCompleted", "RunCompleted");
            assertThat(frames.getFirst().seq()).isEqualTo(paused.getLast().seq() + 1);
            for (int i = 1; i < frames.size(); i++) {
                assertThat(frames.get(i).seq()).isEqualTo(frames.get(i - 1).seq() + 1);
            }
            JsonNode tool = frames.get(1).json().get("tool");
            assertThat(tool.get("confirmed").asBoolean()).isTrue();
            assertThat(tool.get("result").asText()).contains("bob@example.com");
        }
        assertThat(server.getJson("/v1/runs/" + runId, 200).get("status").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void aRejectedCallIsNotRunAndTheRunStillCompletes() {
        JsonNode pause = pausedRun(server).getLast().json();
        String runId = pause.get("run_id").asText();
        String toolCallId = pause.get("requirements").get(0).get("tool_call_id").asText();

        try (SseStream stream = server.postStream("/v1/runs/" + runId + "/continue", continueBody(toolCallId, false))) {
            List<SseStream.Frame> frames = stream.rest();

            assertThat(names(frames).getLast()).isEqualTo("RunCompleted");
            JsonNode tool = frames.get(1).json().get("tool");
            assertThat(tool.get("confirmed").asBoolean()).isFalse();
            assertThat(tool.get("result").asText()).contains("rejected");
        }
    }

    @Test
    void continuingARunThatIsNotPausedIsAConflict() {
        JsonNode pause = pausedRun(server).getLast().json();
        String runId = pause.get("run_id").asText();
        String toolCallId = pause.get("requirements").get(0).get("tool_call_id").asText();
        try (SseStream stream = server.postStream("/v1/runs/" + runId + "/continue", continueBody(toolCallId, true))) {
            stream.rest();
        }

        HttpResponse<String> again = server.post("/v1/runs/" + runId + "/continue", continueBody(toolCallId, true));

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(TestServer.json(again).get("error").get("code").asText()).isEqualTo("run_not_paused");
    }

    @Test
    void aMissingDecisionIsUnprocessable() {
        String runId = pausedRun(server).getLast().json().get("run_id").asText();

        HttpResponse<String> response = server.post("/v1/runs/" + runId + "/continue", "{\"tools\":[]}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(TestServer.json(response).get("error").get("message").asText()).contains("no decision for tool_call_id");
        assertThat(server.getJson("/v1/runs/" + runId, 200).get("status").asText()).isEqualTo("PAUSED");
    }

    @Test
    void aDecisionForAnotherCallIsUnprocessable() {
        JsonNode pause = pausedRun(server).getLast().json();
        String runId = pause.get("run_id").asText();
        String toolCallId = pause.get("requirements").get(0).get("tool_call_id").asText();

        HttpResponse<String> wrongId = server.post("/v1/runs/" + runId + "/continue",
            "{\"tools\":[{\"tool_call_id\":\"" + toolCallId + "\",\"confirmed\":true},"
                + "{\"tool_call_id\":\"nope\",\"confirmed\":true}]}");
        HttpResponse<String> noConfirmation = server.post("/v1/runs/" + runId + "/continue",
            "{\"tools\":[{\"tool_call_id\":\"" + toolCallId + "\"}]}");

        assertThat(wrongId.statusCode()).isEqualTo(422);
        assertThat(noConfirmation.statusCode()).isEqualTo(422);
        assertThat(TestServer.json(noConfirmation).get("error").get("message").asText()).contains("confirmed");
    }

    @Test
    void aRunPausedBeforeARestartIsContinuedFromTheStore() {
        JsonNode pause;
        java.nio.file.Path folder;
        try (TestServer first = TestServer.builder().folder(newFolder()).start()) {
            folder = first.folder();
            pause = pausedRun(first).getLast().json();
        }
        String runId = pause.get("run_id").asText();
        String toolCallId = pause.get("requirements").get(0).get("tool_call_id").asText();

        try (TestServer second = TestServer.builder().folder(folder).start()) {
            resumeAfterRestart(second, runId, toolCallId, pause);
        } finally {
            TestServer.deleteQuietly(folder);
        }
    }

    private static void resumeAfterRestart(TestServer second, String runId, String toolCallId, JsonNode pause) {
        assertThat(second.getJson("/v1/runs/" + runId, 200).get("status").asText()).isEqualTo("PAUSED");
        try (SseStream stream = second.postStream("/v1/runs/" + runId + "/continue", continueBody(toolCallId, true))) {
            List<SseStream.Frame> frames = stream.rest();

            assertThat(names(frames).getFirst()).isEqualTo("RunContinued");
            assertThat(frames.getFirst().seq()).isEqualTo(pause.get("seq").asLong() + 1);
            assertThat(names(frames).getLast()).isEqualTo("RunCompleted");
        }
        try (SseStream all = second.getStream("/v1/runs/" + runId + "/events")) {
            List<SseStream.Frame> frames = all.rest();
            for (int i = 0; i < frames.size(); i++) {
                assertThat(frames.get(i).seq()).isEqualTo(i + 1);
            }
            assertThat(names(frames)).contains("RunPaused", "RunContinued");
            assertThat(names(frames).getLast()).isEqualTo("RunCompleted");
        }
    }

    private static java.nio.file.Path newFolder() {
        try {
            return java.nio.file.Files.createTempDirectory("agentstream-restart");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
