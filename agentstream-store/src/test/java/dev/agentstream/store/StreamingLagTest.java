package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.RunHandle;
import dev.agentstream.RunRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** While a long run streams, storage follows it closely: within one flush interval (plus the commit). */
class StreamingLagTest {

    private static final Duration FLUSH = Duration.ofMillis(200);
    /** Room for the commit itself and for scheduling on a busy two-core machine. */
    private static final Duration COMMIT_ALLOWANCE = Duration.ofMillis(150);
    private static final int CHUNKS = 150;

    @BothDatabases
    void storedAnswerLagsTheStreamByAtMostOneFlushInterval(TestDatabase db) throws Exception {
        var chunks = new LinkedBlockingQueue<String>();
        List<long[]> streamed = new CopyOnWriteArrayList<>();   // [nanoTime, length streamed by then]
        List<long[]> stored = new CopyOnWriteArrayList<>();     // [nanoTime, length stored then]
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        try (Node node = Node.open(db, o -> o.flushInterval(FLUSH))) {
            RunHandle handle = node.runtime.start(Node.agent(new ScriptedModel().then(ScriptedModel.gated(chunks))),
                RunRequest.of("Talk for a while"));
            await().until(() -> handle.log().lastSeq() >= 1);
            String sessionId = handle.sessionId();
            AtomicInteger sent = new AtomicInteger();
            // A chunk every 10 ms for 1.5 s; the stored answer is sampled every 20 ms meanwhile.
            timers.scheduleAtFixedRate(() -> {
                if (sent.get() < CHUNKS) {
                    int length = handle.output().content().length();
                    streamed.add(new long[] {System.nanoTime(), length});
                    chunks.add("chunk " + (1000 + sent.getAndIncrement()) + ". ");
                }
            }, 0, 10, TimeUnit.MILLISECONDS);
            timers.scheduleAtFixedRate(() -> {
                long before = System.nanoTime();
                int length = node.storedAnswer(sessionId).length();
                stored.add(new long[] {before, length});
            }, 0, 20, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> sent.get() == CHUNKS);
            timers.shutdown();
            assertThat(timers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

            String storedNow = node.storedAnswer(sessionId);
            assertThat(handle.output().content()).startsWith(storedNow);
            long allowed = FLUSH.plus(COMMIT_ALLOWANCE).toNanos();
            for (long[] sample : stored) {
                long mustHave = streamed.stream().filter(s -> s[0] <= sample[0] - allowed).mapToLong(s -> s[1]).max()
                    .orElse(0);
                assertThat(sample[1]).as("stored length at a sample").isGreaterThanOrEqualTo(mustHave);
            }
            assertThat(stored).hasSizeGreaterThan(40);
            chunks.add(ScriptedModel.END);
            handle.segmentEnd().get(10, TimeUnit.SECONDS);
            assertThat(node.storedAnswer(sessionId)).isEqualTo(handle.output().content());
        } finally {
            timers.shutdownNow();
        }
    }
}
