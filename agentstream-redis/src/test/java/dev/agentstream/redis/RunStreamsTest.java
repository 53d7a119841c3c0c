package dev.agentstream.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStarted;
import dev.agentstream.run.RunInfo;
import io.lettuce.core.KillArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runs' Redis streams against a real Redis: what one node publishes, another node's reader gets. */
class RunStreamsTest {

    private RedisLink owner;
    private RedisLink elsewhere;
    private RunStreams ownerStreams;
    private RunStreams readerStreams;
    private final String runId = UUID.randomUUID().toString();
    private final RunInfo run = new RunInfo(runId, "s1", "u1", "assistant", null, "hi", Instant.now());

    @BeforeEach
    void twoNodes() {
        owner = TestRedis.connect();
        elsewhere = TestRedis.connect();
        ownerStreams = new RunStreams(owner, Duration.ofMinutes(1));
        readerStreams = new RunStreams(elsewhere, Duration.ofMinutes(1));
    }

    @AfterEach
    void close() {
        TestRedis.closeAll(ownerStreams, readerStreams, owner, elsewhere);
    }

    private static RunEvent content(RunInfo run, long seq) {
        return new RunContent(seq, run.runId(), run.sessionId(), run.agentId(), null, run.parentRunId(), 0, "t" + seq);
    }

    private static RunCancelled end(String runId, long seq) {
        return new RunCancelled(seq, runId, "s1", "assistant", null, null, 0, RunCancelled.REASON_NODE_LOST, "t1");
    }

    private void publish(long fromSeq, long toSeq) {
        for (long seq = fromSeq; seq <= toSeq; seq++) {
            ownerStreams.publisher().onEvent(run, seq == 1
                ? new RunStarted(1, runId, "s1", "assistant", null, null, 0, "m") : content(run, seq));
        }
    }

    private static List<Long> seqs(List<RunEvent> events) {
        return events.stream().map(RunEvent::seq).toList();
    }

    private List<RunEvent> readAll(RunStreamReader reader, long afterSeq, int until) {
        try {
            return readAllOrThrow(reader, afterSeq, until);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<RunEvent> readAllOrThrow(RunStreamReader reader, long afterSeq, int until) throws InterruptedException {
        List<RunEvent> got = new ArrayList<>();
        long position = afterSeq;
        while (position < until) {
            List<RunEvent> batch = reader.awaitAfter(position, 100, Duration.ofSeconds(1));
            got.addAll(batch);
            position = batch.isEmpty() ? position : batch.getLast().seq();
        }
        return got;
    }

    @Test
    void aReaderOnAnotherNodeReplaysTheTailAfterItsPositionOnceAndInOrder() {
        publish(1, 20);
        try (RunStreamReader reader = readerStreams.reader(runId)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.newest().map(RunEvent::seq).orElse(0L) == 20);

            assertThat(seqs(reader.readAfter(7, 100))).containsExactlyElementsOf(range(8, 20));
            assertThat(reader.readAfter(7, 100).getFirst()).isEqualTo(content(run, 8));
            assertThat(reader.readAfter(20, 100)).isEmpty();
        }
    }

    @Test
    void aBlockedReaderGetsEventsPublishedWhileItWaits() throws Exception {
        publish(1, 3);
        try (RunStreamReader reader = readerStreams.reader(runId)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.newest().isPresent());
            CompletableFuture<List<RunEvent>> waiting = readInBackground(reader, 3, 10);

            publish(4, 10);

            assertThat(seqs(waiting.get(10, TimeUnit.SECONDS))).containsExactlyElementsOf(range(4, 10));
        }
    }

    @Test
    void readersOfOneRunOnANodeShareOneSubscriptionAndEachGetsEveryLiveEventOnce() throws Exception {
        publish(1, 3);
        String channel = RunStreamCodec.channel(runId);
        try (RunStreamReader first = readerStreams.reader(runId);
             RunStreamReader second = readerStreams.reader(runId)) {
            CompletableFuture<List<RunEvent>> one = readInBackground(first, 3, 11);
            CompletableFuture<List<RunEvent>> two = readInBackground(second, 3, 11);
            await().atMost(Duration.ofSeconds(5)).until(() -> subscribers(channel) == 1L && readerStreams.followedRuns() == 1);

            publish(4, 10);
            // A line break inside an event's text must not split the announcement.
            RunEvent multiline = new RunContent(11, runId, "s1", "assistant", null, null, 0, "line one\nline two");
            ownerStreams.publisher().onEvent(run, multiline);

            List<Long> expected = range(4, 11);
            assertThat(seqs(one.get(10, TimeUnit.SECONDS))).containsExactlyElementsOf(expected);
            assertThat(seqs(two.get(10, TimeUnit.SECONDS))).containsExactlyElementsOf(expected);
            assertThat(two.get().getLast()).isEqualTo(multiline);
            assertThat(subscribers(channel)).isEqualTo(1L);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> subscribers(channel) == 0L);
        assertThat(readerStreams.followedRuns()).isZero();
    }

    @Test
    void eventsPublishedBeforeAReaderFirstWaitsAreReadFromTheStream() throws Exception {
        publish(1, 10);
        try (RunStreamReader reader = readerStreams.reader(runId)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.newest().map(RunEvent::seq).orElse(0L) == 10);

            assertThat(seqs(reader.awaitAfter(3, 100, Duration.ofSeconds(1)))).containsExactlyElementsOf(range(4, 10));
        }
    }

    @Test
    void aFollowerWhoseSubscriptionWasCutCatchesUpWithWhatWasAnnouncedMeanwhile() throws Exception {
        publish(1, 3);
        try (RunStreamReader reader = readerStreams.reader(runId)) {
            CompletableFuture<List<RunEvent>> following = readInBackground(reader, 3, 10);
            await().atMost(Duration.ofSeconds(5)).until(() -> subscribers(RunStreamCodec.channel(runId)) == 1L);

            owner.commands().sync().clientKill(KillArgs.Builder.typePubsub());
            // Announced while the follower's connection is down: only the stream has them.
            publish(4, 10);

            assertThat(seqs(following.get(10, TimeUnit.SECONDS))).containsExactlyElementsOf(range(4, 10));
        }
    }

    private CompletableFuture<List<RunEvent>> readInBackground(RunStreamReader reader, long afterSeq, int until) {
        return CompletableFuture.supplyAsync(() -> readAll(reader, afterSeq, until), command -> Thread.ofVirtual().start(command));
    }

    private long subscribers(String channel) {
        return owner.commands().sync().pubsubNumsub(channel).getOrDefault(channel, 0L);
    }

    @Test
    void aWaitWithNothingNewReturnsEmptyWithinTheWait() throws InterruptedException {
        publish(1, 2);
        try (RunStreamReader reader = readerStreams.reader(runId)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.newest().isPresent());
            long start = System.nanoTime();

            assertThat(reader.awaitAfter(2, 10, Duration.ofMillis(200))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aRunningStreamIsTrimmedToAboutItsBoundAndKeepsItsNewestEvents() {
        try (RunStreams bounded = new RunStreams(owner, Duration.ofMinutes(1), 200);
             RunStreamReader reader = readerStreams.reader(runId)) {
            for (long seq = 1; seq <= 2_000; seq++) {
                bounded.publisher().onEvent(run, content(run, seq));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> reader.newest().map(RunEvent::seq).orElse(0L) == 2_000);

            long length = owner.commands().sync().xlen(RunStreamCodec.key(runId));
            assertThat(length).isBetween(200L, 400L);
            List<RunEvent> kept = reader.readAfter(0, 1_000);
            assertThat(kept.getFirst().seq()).isGreaterThan(1_000);
            assertThat(seqs(kept)).containsExactlyElementsOf(range(kept.getFirst().seq(), 2_000));
        }
    }

    @Test
    void theStreamIsGoneTheRetentionAfterItsLastEvent() {
        try (RunStreams brief = new RunStreams(owner, Duration.ofMillis(500));
             RunStreamReader reader = readerStreams.reader(runId)) {
            brief.publisher().onEvent(run, content(run, 1));
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.newest().isPresent());

            await().atMost(Duration.ofSeconds(5)).until(() -> reader.newest().isEmpty());
            assertThat(reader.readAfter(0, 10)).isEmpty();
        }
    }

    @Test
    void eventsOfATeamsMemberRunGoToTheTeamsStream() {
        RunInfo member = new RunInfo("member-" + runId, "s1", "u1", "helper", runId, "hi", Instant.now());
        publish(1, 2);
        ownerStreams.publisher().onEvent(member, content(member, 3));
        publish(4, 4);
        try (RunStreamReader reader = readerStreams.reader(runId)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.newest().map(RunEvent::seq).orElse(0L) == 4);

            List<RunEvent> events = reader.readAfter(0, 10);
            assertThat(seqs(events)).containsExactly(1L, 2L, 3L, 4L);
            assertThat(events.get(2).runId()).isEqualTo(member.runId());
        }
    }

    @Test
    void theEndOfADeadNodesRunFollowsWhatItsNodeHadSentBeyondTheStore() {
        publish(1, 12);
        try (RunStreamReader reader = readerStreams.reader(runId)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.newest().map(RunEvent::seq).orElse(0L) == 12);

            // The store had flushed up to seq 8: its end is numbered 9, but readers of the stream are at 12.
            RunCancelled placed = readerStreams.appendEnd(end(runId, 9)).orElseThrow();

            assertThat(placed.seq()).isEqualTo(13);
            assertThat(reader.readAfter(12, 10)).containsExactly(placed);
        }
    }

    @Test
    void theEndOfADeadNodesRunKeepsItsSeqWhenTheStreamIsBehindTheStore() {
        publish(1, 5);
        try (RunStreamReader reader = readerStreams.reader(runId)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.newest().map(RunEvent::seq).orElse(0L) == 5);

            RunCancelled placed = readerStreams.appendEnd(end(runId, 9)).orElseThrow();

            assertThat(placed.seq()).isEqualTo(9);
            assertThat(reader.newest()).contains(placed);
            Long ttl = owner.commands().sync().pttl(RunStreamCodec.key(runId));
            assertThat(ttl).isBetween(1L, Duration.ofMinutes(1).toMillis());
        }
    }

    @Test
    void anEventAlreadyInTheStreamIsNotAddedTwice() {
        publish(1, 3);
        try (RunStreamReader reader = readerStreams.reader(runId)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.newest().map(RunEvent::seq).orElse(0L) == 3);

            publish(2, 4);

            await().atMost(Duration.ofSeconds(5)).until(() -> reader.newest().map(RunEvent::seq).orElse(0L) == 4);
            assertThat(seqs(reader.readAfter(0, 10))).containsExactly(1L, 2L, 3L, 4L);
            assertThat(ownerStreams.publisher().skipped()).isZero();
        }
    }

    @Test
    void aThousandRunsOfTenEventsEachReachTheirStreamsInAFewPipelinedBatches() {
        List<RunInfo> runs = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            runs.add(new RunInfo(runId + "-" + i, "s1", "u1", "assistant", null, "hi", Instant.now()));
        }
        long start = System.nanoTime();
        for (long seq = 1; seq <= 10; seq++) {
            for (RunInfo each : runs) {
                ownerStreams.publisher().onEvent(each, content(each, seq));
            }
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> ownerStreams.publisher().sent() == 10_000);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(ownerStreams.publisher().skipped()).isZero();
        for (RunInfo each : List.of(runs.getFirst(), runs.get(500), runs.getLast())) {
            try (RunStreamReader reader = readerStreams.reader(each.runId())) {
                assertThat(seqs(reader.readAfter(0, 100))).containsExactlyElementsOf(range(1, 10));
            }
        }
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }
}
