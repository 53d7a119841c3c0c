package dev.agentstream.server.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.server.testing.CuttableProxy;
import dev.agentstream.server.testing.SharedServices;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.store.StorageOptions;
import dev.agentstream.store.StoredRun;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The database goes away mid-run: the server's connections to the real PostgreSQL run through a
 * proxy the test cuts (every open connection reset, new ones refused) or silences (nothing passes,
 * nothing is closed: packets dropped), and restores. Streams go on;
 * what the store could not write is written when the database is back, so every event a client saw
 * ends up stored; past the persist grace (or the per-run bound) runs end visibly instead.
 */
@Timeout(90)
class DatabaseOutageTest {

    private SharedServices postgres;
    private CuttableProxy proxy;
    private TestServer server;

    private TestServer start(Duration persistGrace, Duration wordDelay) {
        return start(persistGrace, wordDelay, 1L << 20);
    }

    private TestServer start(Duration persistGrace, Duration wordDelay, long maxUnwrittenBytesPerRun) {
        return start(persistGrace, wordDelay, maxUnwrittenBytesPerRun, StorageOptions.DEFAULT_SOCKET_TIMEOUT);
    }

    private TestServer start(Duration persistGrace, Duration wordDelay, long maxUnwrittenBytesPerRun,
                             Duration socketTimeout) {
        postgres = SharedServices.requirePostgres();
        proxy = CuttableProxy.to(SharedServices.postgresAddress());
        server = TestServer.builder()
            .wordDelay(wordDelay)
            .storage(o -> o.jdbcUrl(postgres.jdbcUrlVia(proxy.port())).connectionTimeout(Duration.ofMillis(500))
                .socketTimeout(socketTimeout))
            .customize(b -> b.persistGrace(persistGrace).maxUnwrittenBytesPerRun(maxUnwrittenBytesPerRun))
            .start();
        return server;
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.relay();
        }
        if (server != null) {
            server.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theStreamGoesOnWhileTheDatabaseIsAwayAndEverythingSeenIsStoredOnceItIsBack() throws Exception {
        start(Duration.ofSeconds(30), Duration.ofMillis(10));
        try (SseStream stream = server.run("{\"message\":\"story 400\"}")) {
            List<SseStream.Frame> seen = new ArrayList<>(stream.until("RunContent"));
            String runId = seen.getFirst().json().get("run_id").asText();
            await().until(() -> postgres.hasFlushedAnswer(runId));

            proxy.refuse();
            await().until(() -> health().get("storage").asText().equals("retrying"));
            streamOnWhileAwayThenRestore(stream, seen);

            assertCompletedAndStoredAsSeen(runId, seen);
            assertThat(health().get("storage").asText()).isEqualTo("ok");
        }
    }

    @Test
    void aDatabaseThatFallsSilentFailsWritesWithinTheSocketTimeoutAndEverythingSeenIsStoredOnceItAnswers()
        throws Exception {
        Duration socketTimeout = Duration.ofSeconds(1);
        start(Duration.ofSeconds(30), Duration.ofMillis(10), 1L << 20, socketTimeout);
        try (SseStream stream = server.run("{\"message\":\"story 1000\"}")) {
            List<SseStream.Frame> seen = new ArrayList<>(stream.until("RunContent"));
            String runId = seen.getFirst().json().get("run_id").asText();
            await().until(() -> postgres.hasFlushedAnswer(runId));

            long silenced = System.nanoTime();
            proxy.silence();
            // Without a socket timeout the writer would wait on its silent connection for good.
            await().atMost(Duration.ofSeconds(10)).until(() -> health().get("storage").asText().equals("retrying"));
            Duration noticed = Duration.ofNanos(System.nanoTime() - silenced);
            streamOnWhileAwayThenRestore(stream, seen);

            assertThat(noticed).isLessThan(socketTimeout.plusSeconds(5));
            assertCompletedAndStoredAsSeen(runId, seen);
            await().atMost(Duration.ofSeconds(10)).until(() -> health().get("storage").asText().equals("ok"));
        }
    }

    @Test
    void pastTheGraceRunningRunsEndWithRunErrorNewRunsGet503AndHealthSaysDegraded() throws Exception {
        Duration grace = Duration.ofSeconds(2);
        start(grace, Duration.ofMillis(10));
        try (SseStream stream = server.run("{\"message\":\"story 3000\"}")) {
            List<SseStream.Frame> seen = new ArrayList<>(stream.until("RunContent"));
            String runId = seen.getFirst().json().get("run_id").asText();

            long cut = System.nanoTime();
            proxy.refuse();
            seen.addAll(stream.rest());
            Duration streamedOn = Duration.ofNanos(System.nanoTime() - cut);

            assertThat(SseStream.shape(seen)).containsExactly("RunStarted", "RunContent*", "RunError");
            assertThat(seen.getLast().json().get("content").asText()).isEqualTo("storage unavailable");
            assertThat(streamedOn).isBetween(grace, grace.plusSeconds(5));
            HttpResponse<String> refused = server.post("/v1/agents/assistant/runs", "{\"message\":\"hi\"}");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(TestServer.json(refused).at("/error/code").asText()).isEqualTo("storage_unavailable");
            HttpResponse<String> health = server.get("/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(TestServer.json(health).get("status").asText()).isEqualTo("degraded");
            assertThat(TestServer.json(health).get("storage").asText()).isEqualTo("unavailable");

            proxy.relay();
            await().atMost(Duration.ofSeconds(20)).until(() -> server.get("/health").statusCode() == 200);
            StoredRun stored = awaitStored(runId, RunStatus.ERROR);
            assertThat(stored.error()).isEqualTo("storage unavailable");
            assertStoredAsSeen(runId, seen);
            try (SseStream after = server.run("{\"message\":\"hi\"}")) {
                assertThat(SseStream.names(after.rest())).endsWith("RunCompleted");
            }
        }
    }

    @Test
    void aRunWhoseUnwrittenEventsPassTheBoundEndsWithRunErrorWithinTheGrace() throws Exception {
        start(Duration.ofSeconds(60), Duration.ofMillis(2), 64 * 1024);
        try (SseStream stream = server.run("{\"message\":\"story 10000\"}")) {
            List<SseStream.Frame> seen = new ArrayList<>(stream.until("RunContent"));
            String runId = seen.getFirst().json().get("run_id").asText();

            proxy.refuse();
            seen.addAll(stream.rest());

            assertThat(SseStream.shape(seen)).containsExactly("RunStarted", "RunContent*", "RunError");
            assertThat(seen.getLast().json().get("content").asText()).startsWith("storage unavailable (over 65536 bytes");
            // Within the grace the node still takes runs: only the run that held too much ended.
            assertThat(server.get("/health").statusCode()).isEqualTo(200);
            proxy.relay();
            awaitStored(runId, RunStatus.ERROR);
            assertStoredAsSeen(runId, seen);
        }
    }

    /** Reads 40 more events while the database is away (the node still takes runs), then brings it back. */
    private void streamOnWhileAwayThenRestore(SseStream stream, List<SseStream.Frame> seen) {
        assertThat(health().get("status").asText()).isEqualTo("ok");
        for (int i = 0; i < 40; i++) {
            seen.add(stream.next());
        }
        proxy.relay();
        seen.addAll(stream.rest());
    }

    private void assertCompletedAndStoredAsSeen(String runId, List<SseStream.Frame> seen) {
        assertThat(SseStream.shape(seen)).containsExactly("RunStarted", "RunContent*", "RunContentCompleted",
            "RunCompleted");
        StoredRun stored = awaitStored(runId, RunStatus.COMPLETED);
        assertThat(stored.lastSeq()).isEqualTo(seen.getLast().seq());
        assertStoredAsSeen(runId, seen);
    }

    private JsonNode health() {
        return TestServer.json(server.get("/health"));
    }

    private StoredRun awaitStored(String runId, RunStatus status) {
        // Reads fail (503 over HTTP) until the pool has connections again.
        return await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(
            () -> server.storage().store().findRun(runId).orElse(null),
            run -> run != null && run.status() == status);
    }

    /** The store holds exactly the events the client saw, in order, with the same text. */
    private void assertStoredAsSeen(String runId, List<SseStream.Frame> seen) {
        List<RunEvent> stored = server.storage().store().eventsAfter(runId, 0);
        assertThat(stored).extracting(RunEvent::seq).containsExactlyElementsOf(seen.stream().map(SseStream.Frame::seq).toList());
        assertThat(stored).extracting(RunEvent::eventName).containsExactlyElementsOf(SseStream.names(seen));
        String storedText = stored.stream().filter(e -> e instanceof RunContent).map(e -> ((RunContent) e).content())
            .reduce("", String::concat);
        String seenText = seen.stream().filter(f -> f.event().equals("RunContent")).map(f -> f.json().get("content").asText())
            .reduce("", String::concat);
        assertThat(storedText).isEqualTo(seenText).isNotEmpty();
    }
}
