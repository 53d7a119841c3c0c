package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.event.EventHeader;
import dev.agentstream.event.Metrics;
import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunStarted;
import dev.agentstream.run.RunInfo;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LiveRunTest {

    @Test
    void aCommitAskedForWhileTheEndIsInFlightIsReleasedWithTheEnd() {
        RunInfo info = new RunInfo("r1", "s1", "u1", "a1", null, "hi", Instant.EPOCH);
        LiveRun run = LiveRun.started(info, new RunStarted(new EventHeader(1, "r1", "s1", "a1", null, 0), "m"), "r1",
            "node", 0);
        run.finish(new RunCompleted(new EventHeader(2, "r1", "s1", "a1", null, 0), "", null, Metrics.EMPTY), 1);

        // The writer's tick takes the end before the producer asks to wait for it.
        assertThat(run.prepare(1, 30_000)).isNotNull();
        CompletableFuture<Void> waiter = run.sync();

        assertThat(run.acknowledge()).contains(waiter);
        assertThat(run.isDone()).isTrue();
    }
}
