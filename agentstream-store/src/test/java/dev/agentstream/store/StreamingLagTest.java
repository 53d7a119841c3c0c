package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.RunHandle;
import dev.agentstream.RunRequest;
import dev.agentstream.testkit.Script;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/** While a long run streams, storage follows it closely: within one flush interval (plus the commit). */
class StreamingLagTest {

    private static final Duration FLUSH = Duration.ofMillis(200);
    /** Room for the commit itself and for scheduling on a busy two-core machine. */
    private static final Duration COMMIT_ALLOWANCE = Duration.ofMillis(150);

    @BothDatabases
    void storedAnswerLagsTheStreamByAtMostOneFlushInterval(TestDatabase db) throws Exception {
        // 150 chunks, one every 10 ms: a run that streams for about 1.5 s.
        String[] chunks = IntStream.range(0, 150).mapToObj(i -> "chunk " + (1000 + i) + ". ").toArray(String[]::new);
        List<long[]> streamed = new CopyOnWriteArrayList<>();   // [nanoTime, length streamed by then]
        List<long[]> stored = new CopyOnWriteArrayList<>();     // [nanoTime, length stored then]
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        try (Upstream upstream = new Upstream().then(Script.text(chunks).chunkDelay(Duration.ofMillis(10)));
             Node node = Node.open(db, o -> o.flushInterval(FLUSH))) {
            RunHandle handle = node.runtime.start(upstream.agent(), RunRequest.of("Talk for a while"));
            await().until(() -> handle.log().lastSeq() >= 1);
            String sessionId = handle.sessionId();
            timers.scheduleAtFixedRate(() -> streamed.add(new long[] {System.nanoTime(), handle.output().content().length()}),
                0, 5, TimeUnit.MILLISECONDS);
            timers.scheduleAtFixedRate(() -> {
                long before = System.nanoTime();
                stored.add(new long[] {before, node.storedAnswer(sessionId).length()});
            }, 0, 20, TimeUnit.MILLISECONDS);
            handle.segmentEnd().get(30, TimeUnit.SECONDS);
            timers.shutdown();
            assertThat(timers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

            long allowed = FLUSH.plus(COMMIT_ALLOWANCE).toNanos();
            for (long[] sample : stored) {
                long mustHave = streamed.stream().filter(s -> s[0] <= sample[0] - allowed).mapToLong(s -> s[1]).max()
                    .orElse(0);
                assertThat(sample[1]).as("stored length at a sample").isGreaterThanOrEqualTo(mustHave);
            }
            assertThat(stored).hasSizeGreaterThan(40);
            assertThat(node.storedAnswer(sessionId)).isEqualTo(String.join("", chunks));
        } finally {
            timers.shutdownNow();
        }
    }
}
