package dev.agentstream.server.wire.v1;

import static dev.agentstream.server.testing.SseStream.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.RunHandle;
import dev.agentstream.event.RunStatus;
import dev.agentstream.server.testing.Gate;
import dev.agentstream.server.testing.RawHttp;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.server.testing.Upstream;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class ClientDisconnectTest {

    static final Upstream upstream = new Upstream();
    static final Gate gate = new Gate();
    @RegisterExtension
    static final TestServer server = TestServer.builder()
        .wordDelay(Duration.ofMillis(10))
        .agent(upstream.agent("slow").tools(gate).build())
        .shared();

    @AfterAll
    static void stop() {
        gate.open();
        upstream.close();
    }

    private static RunHandle handle(String runId) {
        return server.server().runtime().find(runId).orElseThrow();
    }

    @Test
    void aClientThatDropsMidStreamGetsItsRunInterruptedWithinTwoSecondsWithThePartialContentStored() {
        String runId;
        StringBuilder seen = new StringBuilder();
        try (SseStream stream = server.run("{\"message\":\"story 1000\"}")) {
            List<SseStream.Frame> frames = new ArrayList<>(stream.until("RunContent"));
            frames.addAll(stream.until("RunContent"));
            runId = frames.getFirst().json().get("run_id").asText();
            frames.stream().filter(f -> f.event().equals("RunContent")).forEach(f -> seen.append(f.json().get("content").asText()));
        }
        long closedAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(2)).until(() -> handle(runId).status() == RunStatus.INTERRUPTED);

        assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isLessThan(Duration.ofSeconds(2));
        JsonNode stored = server.getJson("/v1/runs/" + runId, 200);
        assertThat(stored.get("status").asText()).isEqualTo("INTERRUPTED");
        assertThat(stored.get("cancel_reason").asText()).isEqualTo("client_disconnected");
        assertThat(stored.get("content").asText()).startsWith(seen.toString());
        assertThat(stored.get("content").asText().split("\\s+")).hasSizeLessThan(1000);
        JsonNode messages = server.getJson("/v1/sessions/" + stored.get("session_id").asText() + "/messages", 200)
            .get("messages");
        JsonNode assistant = messages.get(messages.size() - 1);
        assertThat(assistant.get("role").asText()).isEqualTo("assistant");
        assertThat(assistant.get("interrupted").asBoolean()).isTrue();
        assertThat(assistant.get("content").asText()).startsWith(seen.toString());
    }

    @Test
    void aClientThatClosesItsSocketDuringASilentToolCallIsNoticedWithinOneSecond() throws Exception {
        upstream.server.enqueue(Script.toolCalls(ToolCall.of("call_gate", "gate", "{}")));
        String runId;
        long closedAt;
        try (RawHttp http = RawHttp.post(server.server().baseUri(), "/v1/agents/slow/runs", "{\"message\":\"wait\"}")) {
            String received = http.readUntil("event: ToolCallStarted");
            Matcher id = Pattern.compile("\"run_id\":\"([^\"]+)\"").matcher(received);
            assertThat(id.find()).isTrue();
            runId = id.group(1);
            assertThat(handle(runId).status()).isEqualTo(RunStatus.RUNNING);
            closedAt = System.nanoTime();
        }

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
            .until(() -> handle(runId).status() == RunStatus.INTERRUPTED);

        assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isLessThan(Duration.ofMillis(1100));
        assertThat(handle(runId).output().cancelReason()).isEqualTo("client_disconnected");
    }

    @Test
    void withOnDisconnectContinueTheRunGoesOnAndLastEventIdResumesWithoutGapOrDuplicate() {
        List<SseStream.Frame> before;
        String runId;
        try (SseStream stream = server.run("{\"message\":\"story 60\",\"on_disconnect\":\"continue\"}")) {
            before = new ArrayList<>(stream.until("RunContent"));
            for (int i = 0; i < 5; i++) {
                before.addAll(stream.until("RunContent"));
            }
            runId = before.getFirst().json().get("run_id").asText();
        }
        long lastSeen = before.getLast().seq();
        assertThat(handle(runId).status()).isEqualTo(RunStatus.RUNNING);

        List<SseStream.Frame> after;
        try (SseStream resumed = server.getStream("/v1/runs/" + runId + "/events", "Last-Event-ID", Long.toString(lastSeen))) {
            after = resumed.rest();
            assertThat(resumed.ended()).isTrue();
        }

        List<SseStream.Frame> all = new ArrayList<>(before);
        all.addAll(after);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).seq()).isEqualTo(i + 1);
        }
        assertThat(names(after).getLast()).isEqualTo("RunCompleted");
        String streamed = all.stream().filter(f -> f.event().equals("RunContent"))
            .map(f -> f.json().get("content").asText()).reduce("", String::concat);
        assertThat(after.getLast().json().get("content").asText()).isEqualTo(streamed);
        assertThat(streamed.trim().split("\\s+")).hasSize(60);
    }

    @Test
    void aRunWithAnotherReaderLeftIsNotCancelledWhenOneReaderDrops() {
        String runId;
        try (SseStream stream = server.run("{\"message\":\"story 50\"}")) {
            runId = stream.until("RunContent").getFirst().json().get("run_id").asText();
            try (SseStream follower = server.getStream("/v1/runs/" + runId + "/events?after=0")) {
                follower.until("RunContent");
                stream.close();

                List<SseStream.Frame> rest = follower.rest();

                assertThat(names(rest).getLast()).isEqualTo("RunCompleted");
            }
        }
        assertThat(handle(runId).status()).isEqualTo(RunStatus.COMPLETED);
    }
}
