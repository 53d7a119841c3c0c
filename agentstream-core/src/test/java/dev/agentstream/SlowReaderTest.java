package dev.agentstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstream.event.RunEvent;
import dev.agentstream.run.EventsLostException;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.RecordingSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * In-process readers that fall behind the log's retention, in a runtime without a store to replay
 * from: they fail naming the gap, never skip events silently. (With a store, see the store
 * module's SlowReaderReplayTest.)
 */
class SlowReaderTest {

    private final Upstream upstream = new Upstream();
    private final AgentRuntime runtime = AgentRuntime.builder().maxEventsPerRun(16).build();

    @AfterEach
    void close() {
        runtime.close();
        upstream.close();
    }

    private RunHandle endedLongRun() throws Exception {
        upstream.server.enqueue(Script.text(IntStream.range(0, 100).mapToObj(i -> "w" + i + " ").toArray(String[]::new)));
        RunHandle run = runtime.start(upstream.agent().build(), RunRequest.of("Talk a lot"));
        run.segmentEnd().get(10, TimeUnit.SECONDS);
        return run;
    }

    @Test
    void aStreamReaderBehindRetentionFailsNamingTheGap() throws Exception {
        RunHandle run = endedLongRun();
        long firstInMemory = run.log().readAfter(0).events().getFirst().seq();

        assertThatThrownBy(() -> run.events().toList())
            .isInstanceOfSatisfying(EventsLostException.class, e -> {
                assertThat(e.runId()).isEqualTo(run.runId());
                assertThat(e.firstLost()).isEqualTo(1);
                assertThat(e.lastLost()).isEqualTo(firstInMemory - 1);
            })
            .hasMessageContaining("events 1.." + (firstInMemory - 1) + " of run " + run.runId());
    }

    @Test
    void aPublisherSubscriberBehindRetentionGetsOnErrorNamingTheGap() throws Exception {
        RunHandle run = endedLongRun();
        RecordingSubscriber<RunEvent> subscriber = RecordingSubscriber.requestingAll();

        run.publisher(0).subscribe(subscriber);

        assertThat(subscriber.awaitEnd(Duration.ofSeconds(10))).get().isInstanceOf(EventsLostException.class)
            .extracting(Throwable::getMessage).asString().contains("events 1..");
        assertThat(subscriber.items()).isEmpty();
    }

    @Test
    void aReaderWithinRetentionStillReadsEverything() throws Exception {
        RunHandle run = endedLongRun();
        long firstInMemory = run.log().readAfter(0).events().getFirst().seq();

        List<RunEvent> tail = run.events(firstInMemory - 1).toList();

        assertThat(tail).extracting(RunEvent::seq)
            .containsExactlyElementsOf(IntStream.rangeClosed((int) firstInMemory, (int) run.log().lastSeq())
                .mapToObj(Long::valueOf).toList());
    }
}
