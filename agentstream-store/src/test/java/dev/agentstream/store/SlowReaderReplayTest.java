package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.RunHandle;
import dev.agentstream.RunRequest;
import dev.agentstream.event.RunEvent;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.RecordingSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * In-process readers that fell behind the log's retention get the dropped head from the store the
 * runtime replays from: every event once, in seq order, no gap. (Without a store they fail naming
 * the gap: core's SlowReaderTest.)
 */
class SlowReaderReplayTest {

    private static final Script LONG_ANSWER = Script.text(Stream.iterate(0, i -> i + 1).limit(100)
        .map(i -> "w" + i + " ").toArray(String[]::new));

    private static Node nodeKeepingSixteenEvents(TestDatabase db) {
        return Node.open(db, o -> o, r -> r.maxEventsPerRun(16));
    }

    private static List<Long> oneToLast(RunHandle run) {
        return LongStream.rangeClosed(1, run.log().lastSeq()).boxed().toList();
    }

    @BothDatabases
    void aStreamReaderBehindRetentionReadsEveryEventOnceFromStoreThenMemory(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(LONG_ANSWER); Node node = nodeKeepingSixteenEvents(db)) {
            RunHandle run = node.runtime.start(upstream.agent(), RunRequest.of("Talk a lot"));
            run.segmentEnd().get(10, TimeUnit.SECONDS);
            assertThat(run.log().readAfter(0).truncated()).as("the head is gone from memory").isTrue();

            List<RunEvent> events = run.events().toList();

            assertThat(events).extracting(RunEvent::seq).containsExactlyElementsOf(oneToLast(run));
            assertThat(events).isEqualTo(node.store().eventsAfter(run.runId(), 0));
            assertThat(events.getLast().eventName()).isEqualTo("RunCompleted");
        }
    }

    @BothDatabases
    void aPublisherSubscriberThatAsksLateGetsEveryEventOnce(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(LONG_ANSWER); Node node = nodeKeepingSixteenEvents(db)) {
            RunHandle run = node.runtime.start(upstream.agent(), RunRequest.of("Talk a lot"));
            RecordingSubscriber<RunEvent> subscriber = RecordingSubscriber.requestingNothing();
            run.publisher(0).subscribe(subscriber);
            Flow.Subscription subscription = subscriber.subscription(Duration.ofSeconds(10));
            // The subscriber asks for nothing until the run is over: it falls behind memory's window.
            run.segmentEnd().get(10, TimeUnit.SECONDS);
            subscription.request(Long.MAX_VALUE);

            assertThat(subscriber.awaitEnd(Duration.ofSeconds(10))).isEmpty();
            assertThat(subscriber.items()).extracting(RunEvent::seq).containsExactlyElementsOf(oneToLast(run));
            assertThat(subscriber.items()).isEqualTo(node.store().eventsAfter(run.runId(), 0));
        }
    }
}
