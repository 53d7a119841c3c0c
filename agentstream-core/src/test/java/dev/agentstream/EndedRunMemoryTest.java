package dev.agentstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.event.RunStatus;
import dev.agentstream.testkit.Script;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EndedRunMemoryTest {

    private final Upstream upstream = new Upstream();
    private final AgentRuntime runtime = AgentRuntime.builder()
        .retention(Duration.ofMinutes(10))
        .endedLogRetention(Duration.ofMillis(200))
        .build();

    @AfterEach
    void close() {
        runtime.close();
        upstream.close();
    }

    @Test
    void anEndedRunDropsItsEventsAfterTheirWindowButStaysKnownForTheRetention() {
        upstream.server.enqueue(Script.text("Hel", "lo"));
        RunHandle run = runtime.start(upstream.agent().build(), RunRequest.of("hi"));
        assertThat(run.events().toList()).isNotEmpty();

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> run.log().readAfter(0).truncated());

        assertThat(run.log().readAfter(0).events()).isEmpty();
        assertThat(runtime.find(run.runId())).isPresent();
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.output().content()).isEqualTo("Hello");
    }

    @Test
    void aRunThatGoesOnKeepsItsEvents() throws Exception {
        upstream.server.enqueue(Script.text("a", "b", "c").chunkDelay(Duration.ofMillis(400)));
        RunHandle run = runtime.start(upstream.agent().build(), RunRequest.of("hi"));
        Awaitility.await().until(() -> run.log().lastSeq() >= 2);

        assertThat(run.log().readAfter(0).truncated()).isFalse();
        assertThat(run.events().toList()).extracting(e -> e.eventName()).startsWith("RunStarted").endsWith("RunCompleted");
    }
}
