package dev.agentstream.server.wire.v1;

import static dev.agentstream.server.testing.SseStream.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.Team;
import dev.agentstream.event.RunStatus;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.server.testing.Upstream;
import dev.agentstream.store.StoredRun;
import dev.agentstream.testkit.DemoTools;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs paused on one server process, then cancelled or continued by a second server over the same
 * SQLite file: an agent's run, and a team whose member paused for a person's confirmation.
 */
@Timeout(60)
class PausedAcrossRestartTest {

    private static final String CONFIRM_MEMBER_CALL = "{\"tools\":[{\"tool_call_id\":\"call-m1\",\"confirmed\":true}]}";

    private final Upstream leader = new Upstream();
    private final Upstream mailer = new Upstream();
    private final Path folder = newFolder();

    @AfterEach
    void cleanUp() {
        leader.close();
        mailer.close();
        TestServer.deleteQuietly(folder);
    }

    private TestServer serverWithTeam() {
        Team team = Team.builder().id("team").model(leader.agent("leader").build().model()).modelName("gpt-test")
            .member(mailer.agent("mailer").tools(new DemoTools()).requireConfirmation("send_email")
                .description("Sends emails").build())
            .build();
        return TestServer.builder().folder(folder).customize(b -> b.team(team)).start();
    }

    /** Starts the team on a first server until its member pauses for send_email; returns the pause. */
    private JsonNode teamPausedOnAFirstServer() {
        leader.server.enqueue(Script.toolCalls(ToolCall.of("call-1", "ask_mailer", "{\"task\":\"Email Bob\"}")));
        mailer.server.enqueue(Script.builder().text("Sending. ").toolCalls(ToolCall.of("call-m1", "send_email",
            "{\"to\":\"bob@example.com\",\"subject\":\"Lunch\",\"body\":\"Noon?\"}")).build());
        try (TestServer first = serverWithTeam();
             SseStream stream = first.postStream("/v1/teams/team/runs", "{\"message\":\"Get Bob emailed\"}")) {
            List<SseStream.Frame> frames = stream.rest();
            assertThat(names(frames)).contains("RunPaused").endsWith("TeamRunPaused");
            return frames.getLast().json();
        }
    }

    private static List<StoredRun> storedRuns(TestServer server, String teamRunId) {
        String sessionId = server.storage().store().findRun(teamRunId).orElseThrow().sessionId();
        return server.storage().store().runs(sessionId);
    }

    private static void assertGapless(List<SseStream.Frame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i).seq()).isEqualTo(i + 1);
        }
    }

    @Test
    void anAgentRunPausedBeforeARestartCanBeCancelledAndIsNotContinuedAfterwards() {
        JsonNode pause;
        try (TestServer first = TestServer.builder().folder(folder).start()) {
            pause = PauseContinueTest.pausedRun(first).getLast().json();
        }
        String runId = pause.get("run_id").asText();
        String toolCallId = pause.get("requirements").get(0).get("tool_call_id").asText();

        try (TestServer second = TestServer.builder().folder(folder).start()) {
            HttpResponse<String> cancel = second.post("/v1/runs/" + runId + "/cancel", "");

            assertThat(cancel.statusCode()).isEqualTo(202);
            assertThat(TestServer.json(cancel).get("status").asText()).isEqualTo("CANCELLED");
            assertThat(second.getJson("/v1/runs/" + runId, 200).get("status").asText()).isEqualTo("CANCELLED");
            try (SseStream events = second.getStream("/v1/runs/" + runId + "/events")) {
                List<SseStream.Frame> frames = events.rest();
                assertThat(names(frames)).endsWith("RunPaused", "RunCancelled");
                assertGapless(frames);
            }
            HttpResponse<String> continued = second.post("/v1/runs/" + runId + "/continue",
                PauseContinueTest.continueBody(toolCallId, true));
            assertThat(continued.statusCode()).isEqualTo(409);
            assertThat(TestServer.json(continued).get("error").get("code").asText()).isEqualTo("run_not_paused");
            HttpResponse<String> again = second.post("/v1/runs/" + runId + "/cancel", "");
            assertThat(again.statusCode()).isEqualTo(202);
            assertThat(TestServer.json(again).get("status").asText()).isEqualTo("CANCELLED");
        }
    }

    @Test
    void aTeamPausedBeforeARestartContinuesItsMemberThenTheLeaderFinishes() {
        JsonNode pause = teamPausedOnAFirstServer();
        String teamRunId = pause.get("run_id").asText();
        assertThat(pause.get("requirements").get(0).get("tool_call_id").asText()).isEqualTo("call-m1");
        mailer.server.enqueue(Script.text("Sent."));
        leader.server.enqueue(Script.text("Bob ", "has ", "the email."));

        try (TestServer second = serverWithTeam()) {
            assertThat(second.getJson("/v1/runs/" + teamRunId, 200).get("status").asText()).isEqualTo("PAUSED");
            try (SseStream stream = second.postStream("/v1/runs/" + teamRunId + "/continue", CONFIRM_MEMBER_CALL)) {
                List<SseStream.Frame> frames = stream.rest();

                assertThat(stream.status()).isEqualTo(200);
                assertThat(names(frames)).startsWith("TeamRunContinued", "RunContinued")
                    .contains("ToolCallCompleted", "RunCompleted").endsWith("TeamRunCompleted");
                assertThat(frames.getFirst().seq()).isEqualTo(pause.get("seq").asLong() + 1);
                assertThat(frames.getLast().json().get("content").asText()).isEqualTo("Bob has the email.");
            }
            assertThat(mailer.server.requests().get(1).messages().getLast().get("content").asText())
                .isEqualTo("Email sent to bob@example.com");
            assertThat(leader.server.requests().get(1).messages().getLast().get("content").asText())
                .isEqualTo("Sending. Sent.");
            assertThat(storedRuns(second, teamRunId)).extracting(StoredRun::agentId, StoredRun::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("team", RunStatus.COMPLETED),
                    org.assertj.core.groups.Tuple.tuple("mailer", RunStatus.COMPLETED));
            try (SseStream events = second.getStream("/v1/runs/" + teamRunId + "/events")) {
                List<SseStream.Frame> frames = events.rest();
                assertGapless(frames);
                assertThat(names(frames)).contains("TeamRunPaused", "TeamRunContinued").endsWith("TeamRunCompleted");
            }
        }
    }

    @Test
    void aTeamPausedBeforeARestartCanBeCancelledWithItsPausedMember() {
        String teamRunId = teamPausedOnAFirstServer().get("run_id").asText();

        try (TestServer second = serverWithTeam()) {
            HttpResponse<String> cancel = second.post("/v1/runs/" + teamRunId + "/cancel", "");

            assertThat(cancel.statusCode()).isEqualTo(202);
            assertThat(TestServer.json(cancel).get("status").asText()).isEqualTo("CANCELLED");
            assertThat(storedRuns(second, teamRunId)).extracting(StoredRun::status)
                .containsExactly(RunStatus.CANCELLED, RunStatus.CANCELLED);
            try (SseStream events = second.getStream("/v1/runs/" + teamRunId + "/events")) {
                assertThat(names(events.rest())).endsWith("TeamRunPaused", "RunCancelled", "TeamRunCancelled");
            }
            assertThat(second.post("/v1/runs/" + teamRunId + "/continue", CONFIRM_MEMBER_CALL).statusCode())
                .isEqualTo(409);
        }
    }

    private static Path newFolder() {
        try {
            return Files.createTempDirectory("agentstream-restart");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
