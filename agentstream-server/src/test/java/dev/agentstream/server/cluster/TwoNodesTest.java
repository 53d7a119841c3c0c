package dev.agentstream.server.cluster;

import static dev.agentstream.server.testing.SseStream.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.server.testing.NodeProcess;
import dev.agentstream.server.testing.SharedServices;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.testkit.RecordedRequest;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ScriptedOpenAiServer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.testkit.ToolCall;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real server processes on loopback ports, sharing PostgreSQL and Redis, driven by real HTTP
 * clients: what one node starts, the other stops, streams and recovers.
 */
@Timeout(120)
class TwoNodesTest {

    static SharedServices services;
    static ScriptedOpenAiServer upstream;
    static NodeProcess nodeA;
    static NodeProcess nodeB;

    @BeforeAll
    static void startTwoNodes() {
        services = SharedServices.require();
        upstream = ScriptedOpenAiServer.start();
        nodeA = NodeProcess.start("a", env("node-a"));
        nodeB = NodeProcess.start("b", env("node-b"));
    }

    static Map<String, String> env(String nodeId) {
        return NodeProcess.clusterEnv(nodeId, services.jdbcUrl(), SharedServices.REDIS, upstream.baseUrl());
    }

    static Map<String, String> withDb(Map<String, String> env, SharedServices db) {
        env.put("AGENTSTREAM_DB", db.jdbcUrl());
        return env;
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {nodeA, nodeB, upstream, services}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static String[] words(int n) {
        String[] words = new String[n];
        for (int i = 0; i < n; i++) {
            words[i] = "w" + i + " ";
        }
        return words;
    }

    @Test
    void aCancelSentToOneNodeStopsTheRunOnTheOtherAndClosesItsUpstream() {
        int index = upstream.requests().size();
        upstream.enqueue(Script.text(words(400)).chunkDelay(Duration.ofMillis(20)));
        try (SseStream onA = nodeA.stream("POST", "/v1/agents/assistant/runs", "{\"message\":\"go\"}")) {
            String runId = onA.until("RunContent").getFirst().json().get("run_id").asText();

            HttpResponse<String> cancel = nodeB.post("/v1/runs/" + runId + "/cancel", "");

            assertThat(cancel.statusCode()).isEqualTo(202);
            List<SseStream.Frame> rest = onA.rest();
            assertThat(names(rest).getLast()).isEqualTo("RunCancelled");
            assertThat(rest.getLast().json().get("reason").asText()).isEqualTo("cancelled");
            RecordedRequest request = upstream.awaitRequest(index, Duration.ofSeconds(5));
            assertThat(request.awaitClientClosed(Duration.ofSeconds(5))).isTrue();
            assertThat(NodeProcess.json(nodeB.get("/v1/runs/" + runId)).get("status").asText()).isEqualTo("CANCELLED");
        }
    }

    /** A counter of {@code node}'s Prometheus figures (no labels), 0 if it has not counted yet. */
    static double counter(NodeProcess node, String name) {
        return nodeCounter(node.get("/metrics").body(), name);
    }

    static double nodeCounter(String scrape, String name) {
        return scrape.lines().filter(line -> line.startsWith(name + " "))
            .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1).strip())).findFirst().orElse(0);
    }

    static List<Long> seqs(List<SseStream.Frame> frames) {
        return frames.stream().map(SseStream.Frame::seq).toList();
    }

    static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    static List<JsonNode> payloads(List<SseStream.Frame> frames) {
        return frames.stream().map(SseStream.Frame::json).toList();
    }

    /** Frames of {@code stream} up to (and with) the first whose seq is at least {@code seq}. */
    static List<SseStream.Frame> upTo(SseStream stream, long seq) {
        List<SseStream.Frame> frames = new ArrayList<>();
        do {
            frames.add(stream.next());
        } while (frames.getLast().seq() < seq);
        return frames;
    }

    @Test
    void aReaderResumingOnTheOtherNodeMidRunGetsTheExactTailOnceAndLiveWithoutPollingTheStore() {
        upstream.enqueue(Script.text(words(300)).chunkDelay(Duration.ofMillis(10)));
        double pollsBefore = counter(nodeB, "agentstream_store_polls_total");
        double fromRedisBefore = counter(nodeB, "agentstream_redis_events_read_total");
        try (SseStream onA = nodeA.stream("POST", "/v1/agents/assistant/runs", "{\"message\":\"go\"}")) {
            List<SseStream.Frame> head = upTo(onA, 25);
            String runId = head.getFirst().json().get("run_id").asText();
            long seen = head.getLast().seq();

            try (SseStream onB = nodeB.stream("GET", "/v1/runs/" + runId + "/events", null, "Last-Event-ID", String.valueOf(seen))) {
                SseStream.Frame first = onB.next();
                // Mid-run: what follows reaches B live, as A's run writes it.
                assertThat(NodeProcess.json(nodeB.get("/v1/runs/" + runId)).get("status").asText()).isEqualTo("RUNNING");
                List<SseStream.Frame> tail = new ArrayList<>(List.of(first));
                tail.addAll(onB.rest());
                List<SseStream.Frame> restOnA = onA.rest();

                assertThat(first.seq()).isEqualTo(seen + 1);
                assertThat(seqs(tail)).containsExactlyElementsOf(range(seen + 1, restOnA.getLast().seq()));
                assertThat(payloads(tail)).containsExactlyElementsOf(payloads(restOnA));
                assertThat(names(tail).getLast()).isEqualTo("RunCompleted");
            }
        }
        assertThat(counter(nodeB, "agentstream_store_polls_total")).isEqualTo(pollsBefore);
        assertThat(counter(nodeB, "agentstream_redis_events_read_total") - fromRedisBefore).isGreaterThan(250);
    }

    @Test
    void anAiSdkChatResumedOnTheOtherNodeGetsTheWholeAnswerAsTheNodeWritingItSendsIt() {
        upstream.enqueue(Script.text(words(200)).chunkDelay(Duration.ofMillis(10)));
        String chatId = "chat-" + java.util.UUID.randomUUID();
        String body = "{\"id\":\"" + chatId + "\",\"messages\":[{\"id\":\"u1\",\"role\":\"user\","
            + "\"parts\":[{\"type\":\"text\",\"text\":\"go\"}]}],\"trigger\":\"submit-message\"}";
        String chat = "/v1/ai-sdk/agents/assistant/chat";
        try (SseStream onA = nodeA.stream("POST", chat, body)) {
            List<SseStream.Frame> onAll = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                onAll.add(onA.next());
            }

            try (SseStream onB = nodeB.stream("GET", chat + "/" + chatId + "/stream", null)) {
                List<SseStream.Frame> resumed = onB.rest();
                onAll.addAll(onA.rest());

                assertThat(onB.status()).isEqualTo(200);
                assertThat(resumed).extracting(SseStream.Frame::data)
                    .containsExactlyElementsOf(onAll.stream().map(SseStream.Frame::data).toList());
                assertThat(resumed.getLast().data()).isEqualTo("[DONE]");
            }
        }
        assertThat(nodeB.get(chat + "/" + chatId + "/stream").statusCode()).isEqualTo(204);
    }

    /**
     * Drops the Redis connections that copy events to the streams and announce them, and the
     * subscriptions that follow them (Lettuce reconnects them).
     */
    static int dropStreamConnections(StatefulRedisConnection<String, String> redis) {
        int dropped = 0;
        for (String client : redis.sync().clientList().split("\n")) {
            if (client.matches(".*\\bcmd=(xadd|pexpire|publish|subscribe|unsubscribe)\\b.*")) {
                long id = Long.parseLong(client.replaceAll("^id=(\\d+) .*", "$1").strip());
                dropped += redis.sync().clientKill(io.lettuce.core.KillArgs.Builder.id(id)).intValue();
            }
        }
        return dropped;
    }

    @Test
    void aReaderOnTheOtherNodeKeepsAnExactTailWhenItsRedisConnectionsDropMidRun() {
        upstream.enqueue(Script.text(words(400)).chunkDelay(Duration.ofMillis(10)));
        RedisClient redis = RedisClient.create(SharedServices.REDIS);
        try (StatefulRedisConnection<String, String> connection = redis.connect();
             SseStream onA = nodeA.stream("POST", "/v1/agents/assistant/runs", "{\"message\":\"go\"}")) {
            List<SseStream.Frame> onAll = upTo(onA, 20);
            String runId = onAll.getFirst().json().get("run_id").asText();
            try (SseStream onB = nodeB.stream("GET", "/v1/runs/" + runId + "/events", null, "Last-Event-ID", "20")) {
                List<SseStream.Frame> tail = upTo(onB, 60);

                assertThat(dropStreamConnections(connection)).isPositive();
                tail.addAll(onB.rest());
                onAll.addAll(onA.rest());

                assertThat(seqs(tail)).containsExactlyElementsOf(range(21, onAll.getLast().seq()));
                assertThat(payloads(tail)).containsExactlyElementsOf(payloads(onAll.subList(20, onAll.size())));
            }
        } finally {
            redis.shutdown();
        }
    }

    @Test
    void aReaderFarBehindATrimmedStreamGetsTheHeadFromTheStoreThenTheStreamWithNoGapOrDuplicate() {
        upstream.enqueue(Script.text(words(3000)).chunkDelay(Duration.ofMillis(2)));
        double fromStoreBefore = counter(nodeB, "agentstream_store_events_replayed_total");
        try (SseStream onA = nodeA.stream("POST", "/v1/agents/assistant/runs", "{\"message\":\"go\"}")) {
            // Past the stream's bound (about 1,000 entries): its head is trimmed while the run goes on.
            List<SseStream.Frame> onAll = upTo(onA, 1_600);
            String runId = onAll.getFirst().json().get("run_id").asText();

            try (SseStream onB = nodeB.stream("GET", "/v1/runs/" + runId + "/events", null, "Last-Event-ID", "2")) {
                List<SseStream.Frame> tail = onB.rest();
                onAll.addAll(onA.rest());

                assertThat(seqs(tail)).containsExactlyElementsOf(range(3, onAll.getLast().seq()));
                assertThat(payloads(tail)).containsExactlyElementsOf(payloads(onAll.subList(2, onAll.size())));
            }
        }
        assertThat(counter(nodeB, "agentstream_store_events_replayed_total") - fromStoreBefore).isGreaterThan(100);
    }

    @Test
    void aResumeAfterTheStreamsRetentionReplaysFromTheStore() {
        Map<String, String> brief = env("node-brief");
        brief.put("AGENTSTREAM_EVENTS_RETENTION", "1s");
        upstream.enqueue(Script.text(words(30)));
        double fromStoreBefore = counter(nodeB, "agentstream_store_events_replayed_total");
        RedisClient redis = RedisClient.create(SharedServices.REDIS);
        try (NodeProcess nodeD = NodeProcess.start("d", brief);
             StatefulRedisConnection<String, String> connection = redis.connect();
             SseStream onD = nodeD.stream("POST", "/v1/agents/assistant/runs", "{\"message\":\"go\"}")) {
            List<SseStream.Frame> all = onD.rest();
            String runId = all.getFirst().json().get("run_id").asText();
            await().atMost(Duration.ofSeconds(10))
                .until(() -> connection.sync().exists("agentstream:events:" + runId) == 0);

            try (SseStream onB = nodeB.stream("GET", "/v1/runs/" + runId + "/events", null, "Last-Event-ID", "5")) {
                List<SseStream.Frame> tail = onB.rest();

                assertThat(seqs(tail)).containsExactlyElementsOf(range(6, all.getLast().seq()));
                assertThat(payloads(tail)).containsExactlyElementsOf(payloads(all.subList(5, all.size())));
            }
        } finally {
            redis.shutdown();
        }
        assertThat(counter(nodeB, "agentstream_store_events_replayed_total") - fromStoreBefore).isGreaterThan(25);
    }

    @Test
    void aKilledNodesRunIsInterruptedWithinTheHeartbeatTtlAndItsReaderOnAnotherNodeGetsAnEnd() {
        upstream.enqueue(Script.text(words(2000)).chunkDelay(Duration.ofMillis(20)));
        try (NodeProcess nodeC = NodeProcess.start("c", env("node-c"));
             SseStream onC = nodeC.stream("POST", "/v1/agents/assistant/runs", "{\"message\":\"go\"}")) {
            String runId = onC.until("RunContent").getFirst().json().get("run_id").asText();
            try (SseStream onB = nodeB.stream("GET", "/v1/runs/" + runId + "/events", null)) {
                List<SseStream.Frame> seen = new ArrayList<>(onB.until("RunContent"));
                await().atMost(Duration.ofSeconds(10)).until(() -> services.hasFlushedAnswer(runId));

                long killedAt = System.nanoTime();
                nodeC.kill();
                List<SseStream.Frame> rest = onB.until("RunCancelled");
                Duration toEnd = Duration.ofNanos(System.nanoTime() - killedAt);
                seen.addAll(rest);

                // Through the run's Redis stream: every event once, the sweeper's end after the last.
                assertThat(seqs(seen)).containsExactlyElementsOf(range(1, seen.getLast().seq()));
                // Default ttl 5 s, one check a second; the rest is slack for a loaded machine.
                assertThat(toEnd).isLessThan(Duration.ofSeconds(5 + 1 + 2));
                assertThat(rest.getLast().json().get("reason").asText()).isEqualTo("node_lost");
                var run = NodeProcess.json(nodeB.get("/v1/runs/" + runId));
                assertThat(run.get("status").asText()).isEqualTo("INTERRUPTED");
                assertThat(run.get("content").asText()).startsWith("w0 w1 ");
            }
        }
    }

    @Test
    void aNodeRestartedUnderItsIdInterruptsTheRunsItLeftRunningAtOnce() throws Exception {
        // Alone on a database of its own: no Redis, so no other node can find it dead.
        Map<String, String> alone = env("node-solo");
        alone.remove("AGENTSTREAM_REDIS");
        upstream.enqueue(Script.text(words(2000)).chunkDelay(Duration.ofMillis(20)));
        try (SharedServices own = SharedServices.require();
             NodeProcess solo = NodeProcess.start("solo", withDb(alone, own));
             SseStream stream = solo.stream("POST", "/v1/agents/assistant/runs", "{\"message\":\"go\"}")) {
            String runId = stream.until("RunContent").getFirst().json().get("run_id").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> own.hasFlushedAnswer(runId));
            solo.kill();
            assertThat(own.storedStatus(runId)).isEqualTo("RUNNING");

            solo.restart();

            // Long before the 30 s lease would have expired.
            var run = NodeProcess.json(solo.get("/v1/runs/" + runId));
            assertThat(run.get("status").asText()).isEqualTo("INTERRUPTED");
            assertThat(run.get("content").asText()).startsWith("w0 ");
        }
    }

    static String continueBody(String toolCallId) {
        return "{\"tools\":[{\"tool_call_id\":\"" + toolCallId + "\",\"confirmed\":true}]}";
    }

    static final Script SEND_EMAIL = Script.toolCalls(ToolCall.of("call_mail", "send_email",
        "{\"to\":\"bob@example.com\",\"subject\":\"lunch\",\"body\":\"tomorrow?\"}"));

    /** A run of the assistant paused on {@code node} for the confirmation of send_email; its RunPaused. */
    static JsonNode pausedOn(NodeProcess node) {
        return pausedOn(node, "/v1/agents/assistant/runs", "RunPaused", SEND_EMAIL);
    }

    /** A run started at {@code path} on {@code node}, on the model's {@code scripts}, that paused; its last event. */
    static JsonNode pausedOn(NodeProcess node, String path, String pauseEvent, Script... scripts) {
        upstream.enqueue(scripts);
        try (SseStream stream = node.stream("POST", path, "{\"message\":\"email bob\"}")) {
            List<SseStream.Frame> frames = stream.rest();
            assertThat(names(frames).getLast()).isEqualTo(pauseEvent);
            return frames.getLast().json();
        }
    }

    @Test
    void aRunPausedOnOneNodeIsContinuedThroughTheOtherWhichBecomesItsOwnerAndTheOldOwnerCannotResumeIt()
            throws Exception {
        JsonNode pause = pausedOn(nodeA);
        String runId = pause.get("run_id").asText();
        String toolCallId = pause.get("requirements").get(0).get("tool_call_id").asText();
        assertThat(services.storedRun(runId)).containsEntry("status", "PAUSED").containsEntry("owner_node", "node-a");
        upstream.enqueue(Script.text("Sent ", "it."));

        try (SseStream onB = nodeB.stream("POST", "/v1/runs/" + runId + "/continue", continueBody(toolCallId))) {
            List<String> names = names(onB.rest());
            assertThat(onB.status()).isEqualTo(200);
            assertThat(names.getFirst()).isEqualTo("RunContinued");
            assertThat(names.getLast()).isEqualTo("RunCompleted");
        }

        assertThat(services.storedRun(runId)).containsEntry("status", "COMPLETED").containsEntry("owner_node", "node-b");
        HttpResponse<String> again = nodeA.post("/v1/runs/" + runId + "/continue", continueBody(toolCallId));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(NodeProcess.json(again).get("error").get("code").asText()).isEqualTo("run_not_paused");
        for (NodeProcess node : List.of(nodeA, nodeB)) {
            assertThat(NodeProcess.json(node.get("/v1/runs/" + runId)).get("status").asText()).isEqualTo("COMPLETED");
            try (SseStream events = node.stream("GET", "/v1/runs/" + runId + "/events", null)) {
                List<String> names = names(events.rest());
                assertThat(names).contains("RunStarted", "RunPaused", "RunContinued");
                assertThat(names.getLast()).isEqualTo("RunCompleted");
            }
        }
    }

    @Test
    void aTeamPausedByItsMemberOnOneNodeIsContinuedThroughTheOtherWhichBecomesItsOwner() throws Exception {
        JsonNode pause = pausedOn(nodeA, "/v1/teams/demo-team/runs", "TeamRunPaused",
            Script.toolCalls(ToolCall.of("call_ask", "ask_writer", "{\"task\":\"email bob about lunch\"}")), SEND_EMAIL);
        String runId = pause.get("run_id").asText();
        assertThat(pause.get("requirements").get(0).get("tool_call_id").asText()).isEqualTo("call_mail");
        upstream.enqueue(Script.text("Sent it."), Script.text("The writer e-mailed Bob."));

        try (SseStream onB = nodeB.stream("POST", "/v1/runs/" + runId + "/continue", continueBody("call_mail"))) {
            List<String> names = names(onB.rest());
            assertThat(onB.status()).isEqualTo(200);
            assertThat(names.getFirst()).isEqualTo("TeamRunContinued");
            assertThat(names).contains("RunContinued", "ToolCallCompleted", "RunCompleted", "TeamToolCallCompleted");
            assertThat(names.getLast()).isEqualTo("TeamRunCompleted");
        }

        assertThat(services.storedRun(runId)).containsEntry("status", "COMPLETED").containsEntry("owner_node", "node-b");
        var team = NodeProcess.json(nodeA.get("/v1/runs/" + runId));
        assertThat(team.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(team.get("content").asText()).isEqualTo("The writer e-mailed Bob.");
    }

    @Test
    void aRunPausedOnOneNodeIsCancelledThroughTheOtherAndNeitherContinuesItAfterwards() throws Exception {
        JsonNode pause = pausedOn(nodeA);
        String runId = pause.get("run_id").asText();

        HttpResponse<String> cancel = nodeB.post("/v1/runs/" + runId + "/cancel", "");

        assertThat(cancel.statusCode()).isEqualTo(202);
        assertThat(NodeProcess.json(cancel).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(services.storedRun(runId)).containsEntry("status", "CANCELLED").containsEntry("cancel_reason", "cancelled");
        assertThat(NodeProcess.json(nodeA.get("/v1/runs/" + runId)).get("status").asText()).isEqualTo("CANCELLED");
        String body = continueBody(pause.get("requirements").get(0).get("tool_call_id").asText());
        for (NodeProcess node : List.of(nodeA, nodeB)) {
            assertThat(node.post("/v1/runs/" + runId + "/continue", body).statusCode()).isEqualTo(409);
        }
        try (SseStream events = nodeA.stream("GET", "/v1/runs/" + runId + "/events", null)) {
            assertThat(names(events.rest())).endsWith("RunPaused", "RunCancelled");
        }
    }

    @Test
    void twoNodesContinuingOnePausedRunAtOnceContinueItOnce() throws Exception {
        JsonNode pause = pausedOn(nodeA);
        String runId = pause.get("run_id").asText();
        String body = continueBody(pause.get("requirements").get(0).get("tool_call_id").asText());
        upstream.enqueue(Script.text("Sent."));

        List<HttpResponse<String>> answers = concurrently(
            () -> nodeA.post("/v1/runs/" + runId + "/continue", body.replace("}]}", "}],\"stream\":false}")),
            () -> nodeB.post("/v1/runs/" + runId + "/continue", body.replace("}]}", "}],\"stream\":false}")));

        assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 409);
        assertThat(services.storedRun(runId)).containsEntry("status", "COMPLETED");
    }

    String startBody(String session, String multitask) {
        return "{\"message\":\"go\",\"session_id\":\"" + session + "\",\"background\":true,\"multitask\":\""
            + multitask + "\"}";
    }

    @Test
    void underRejectTwoStartsInOneSessionAtOnceOnTwoNodesStartOneRunAndRefuseTheOther() throws Exception {
        String session = "reject-" + UUID.randomUUID();
        upstream.enqueue(Script.text(words(200)).chunkDelay(Duration.ofMillis(20)));

        List<HttpResponse<String>> answers = concurrently(
            () -> nodeA.post("/v1/agents/assistant/runs", startBody(session, "reject")),
            () -> nodeB.post("/v1/agents/assistant/runs", startBody(session, "reject")));

        assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(202, 409);
        HttpResponse<String> refused = answers.stream().filter(a -> a.statusCode() == 409).findFirst().orElseThrow();
        assertThat(NodeProcess.json(refused).get("error").get("code").asText()).isEqualTo("session_busy");
        String runId = NodeProcess.json(answers.stream().filter(a -> a.statusCode() == 202).findFirst().orElseThrow())
            .get("run_id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(services.storedStatus(runId)));
    }

    /**
     * A run of {@code firstWords} words started on node A in a new session, then, once it streams, a
     * second run in that session sent to node B; both under {@code multitask}. Waits for the second
     * to complete and returns both runs' rows, first then second.
     */
    List<Map<String, Object>> secondRunOnBWhileFirstStreamsOnA(String multitask, int firstWords) throws Exception {
        String session = multitask + "-" + UUID.randomUUID();
        upstream.enqueue(Script.text(words(firstWords)).chunkDelay(Duration.ofMillis(20)), Script.text("second"));
        String first = NodeProcess.json(nodeA.post("/v1/agents/assistant/runs", startBody(session, multitask)))
            .get("run_id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> services.hasFlushedAnswer(first));

        HttpResponse<String> sent = nodeB.post("/v1/agents/assistant/runs", startBody(session, multitask));

        assertThat(sent.statusCode()).isEqualTo(202);
        String second = NodeProcess.json(sent).get("run_id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(services.storedStatus(second)));
        return List.of(services.storedRun(first), services.storedRun(second));
    }

    @Test
    void underEnqueueARunSentToTheOtherNodeStartsOnlyOnceTheSessionsRunThereEnded() throws Exception {
        List<Map<String, Object>> runs = secondRunOnBWhileFirstStreamsOnA("enqueue", 150);

        assertThat(runs.get(0)).containsEntry("status", "COMPLETED");
        assertThat((Long) runs.get(1).get("started_at")).isGreaterThanOrEqualTo((Long) runs.get(0).get("completed_at"));
    }

    @Test
    void underInterruptARunSentToTheOtherNodeCancelsTheSessionsRunThereThenRuns() throws Exception {
        List<Map<String, Object>> runs = secondRunOnBWhileFirstStreamsOnA("interrupt", 2000);

        assertThat(runs.get(0)).containsEntry("status", "CANCELLED").containsEntry("cancel_reason", "cancelled");
        assertThat((Long) runs.get(1).get("started_at")).isGreaterThanOrEqualTo((Long) runs.get(0).get("completed_at"));
    }

    @Test
    void aSessionHeldByAKilledNodesRunIsFreeAgainOnceThatRunIsInterrupted() throws Exception {
        String session = "dead-" + UUID.randomUUID();
        upstream.enqueue(Script.text(words(2000)).chunkDelay(Duration.ofMillis(20)), Script.text("after"));
        try (NodeProcess nodeC = NodeProcess.start("c2", env("node-c2"))) {
            String first = NodeProcess.json(nodeC.post("/v1/agents/assistant/runs", startBody(session, "reject")))
                .get("run_id").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> services.hasFlushedAnswer(first));
            assertThat(nodeB.post("/v1/agents/assistant/runs", startBody(session, "reject")).statusCode()).isEqualTo(409);

            nodeC.kill();

            // Refused while the dead node's run still counts as running; accepted once the sweep interrupted it.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                nodeB.post("/v1/agents/assistant/runs", startBody(session, "reject")).statusCode() == 202);
            assertThat(services.storedRun(first)).containsEntry("status", "INTERRUPTED")
                .containsEntry("cancel_reason", "node_lost");
        }
    }

    @Test
    void oneIdempotencyKeySentToBothNodesAtOnceStartsOneRun() throws Exception {
        String key = "key-" + UUID.randomUUID();
        upstream.enqueue(Script.text(words(20)));
        String body = "{\"message\":\"go\",\"background\":true}";

        List<HttpResponse<String>> answers = concurrently(
            () -> keyed(nodeA, key, body), () -> keyed(nodeB, key, body));

        assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(202, 202);
        String runId = NodeProcess.json(answers.get(0)).get("run_id").asText();
        assertThat(NodeProcess.json(answers.get(1)).get("run_id").asText()).isEqualTo(runId);
        assertThat(answers).filteredOn(a -> a.headers().firstValue("Idempotent-Replayed").isPresent()).hasSize(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(services.storedStatus(runId)));
    }

    static HttpResponse<String> keyed(NodeProcess node, String key, String body) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(node.uri("/v1/agents/assistant/runs"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends the requests at once (each on a thread of its own) and returns their answers in order. */
    @SafeVarargs
    static List<HttpResponse<String>> concurrently(java.util.function.Supplier<HttpResponse<String>>... requests) {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (var request : requests) {
            sent.add(CompletableFuture.supplyAsync(request, r -> Thread.ofVirtual().start(r)));
        }
        return sent.stream().map(CompletableFuture::join).toList();
    }

    /**
     * A run id a background start hands out is good on every node at once: the very next request,
     * balanced to the other node, finds the run.
     */
    @Test
    void theOtherNodeFollowsABackgroundRunRightAfterItsStartIsAnswered() {
        for (int i = 0; i < 20; i++) {
            upstream.enqueue(Script.text("one ", "two ", "three").chunkDelay(Duration.ofMillis(20)));
            HttpResponse<String> started = nodeA.post("/v1/agents/assistant/runs",
                "{\"message\":\"go " + i + "\",\"background\":true}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String runId = NodeProcess.json(started).get("run_id").asText();

            try (SseStream onB = nodeB.stream("GET", "/v1/runs/" + runId + "/events", null)) {
                assertThat(onB.status()).as("follow on the other node, run %d", i).isEqualTo(200);
                List<SseStream.Frame> frames = onB.rest();
                assertThat(names(frames)).first().isEqualTo("RunStarted");
                assertThat(names(frames)).last().isEqualTo("RunCompleted");
                assertThat(frames.stream().map(SseStream.Frame::seq).toList())
                    .isEqualTo(LongStream.rangeClosed(1, frames.size()).boxed().toList());
                assertThat(frames.getLast().json().get("content").asText()).isEqualTo("one two three");
            }
        }
    }
}
