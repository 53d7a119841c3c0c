package dev.agentstream.server.run;

import static dev.agentstream.server.testing.SseStream.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.server.testing.TestServer;
import dev.agentstream.server.testing.Upstream;
import dev.agentstream.store.StoredRun;
import dev.agentstream.testkit.Script;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A run whose start cannot be stored (the SQLite file is locked by another connection holding an
 * exclusive transaction) waits for storage up to the sync timeout, then ends with {@code RunError}
 * before calling the model; once the database is free again the run is stored as it was shown.
 */
@Timeout(60)
class StorageAtRunStartTest {

    @Test
    void aStartTheStoreCannotTakeEndsWithRunErrorBeforeTheModelAndIsStoredOnceTheStoreIsBack() throws Exception {
        try (Upstream upstream = new Upstream();
             TestServer server = TestServer.builder()
                 .agent(upstream.agent("scripted").build())
                 .storage(o -> o.syncTimeout(Duration.ofSeconds(1)))
                 .start();
             Connection holder = DriverManager.getConnection(server.jdbcUrl());
             Statement lock = holder.createStatement()) {
            upstream.server.enqueue(Script.text("This ", "must ", "not ", "stream."));
            lock.execute("BEGIN EXCLUSIVE");

            List<SseStream.Frame> frames;
            try (SseStream stream = server.postStream("/v1/agents/scripted/runs", "{\"message\":\"hello\"}")) {
                frames = stream.rest();
            }

            assertThat(names(frames)).containsExactly("RunStarted", "RunError");
            assertThat(frames.getLast().json().get("content").asText())
                .startsWith("storage unavailable: the RunStarted of run").contains("before calling the model");
            assertThat(upstream.server.requests()).as("the model was never called").isEmpty();
            String runId = frames.getFirst().json().get("run_id").asText();

            lock.execute("COMMIT");

            StoredRun stored = await().atMost(Duration.ofSeconds(30))
                .until(() -> server.storage().store().findRun(runId).orElse(null),
                    run -> run != null && run.status() == RunStatus.ERROR);
            assertThat(stored.error()).startsWith("storage unavailable");
            assertThat(server.storage().store().eventsAfter(runId, 0)).extracting(RunEvent::eventName)
                .containsExactly("RunStarted", "RunError");
            assertThat(server.get("/metrics").body()).containsPattern("agentstream_store_starts_failed_total(\\{[^}]*\\})? 1\\.0");
        }
    }
}
