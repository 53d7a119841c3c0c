package dev.agentstream.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentstream.event.EventHeader;
import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunPaused;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RunEventLogTest {

    private static EventHeader header(long seq) {
        return new EventHeader(seq, "run", "session", "agent", null, 0);
    }

    private static RunEvent content(long seq) {
        return new RunContent(header(seq), "chunk " + seq);
    }

    @Test
    void readersAtDifferentSpeedsEachSeeEverySeqOnceInOrderAcrossClose() throws Exception {
        RunEventLog log = new RunEventLog();
        int total = 20_000;
        int readers = 6;
        List<CompletableFuture<List<Long>>> seen = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(readers);
        for (int r = 0; r < readers; r++) {
            boolean slow = r % 2 == 0;
            CompletableFuture<List<Long>> result = new CompletableFuture<>();
            seen.add(result);
            Thread.ofVirtual().start(() -> {
                List<Long> seqs = new ArrayList<>();
                long position = 0;
                started.countDown();
                try {
                    while (true) {
                        RunEventLog.Batch batch = log.awaitAfter(position, Duration.ofSeconds(5));
                        for (RunEvent event : batch.events()) {
                            seqs.add(event.seq());
                            position = event.seq();
                        }
                        if (slow) {
                            Thread.yield();
                        }
                        if (batch.closed()) {
                            result.complete(seqs);
                            return;
                        }
                    }
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        }
        started.await();
        for (long seq = 1; seq < total; seq++) {
            assertThat(log.tryAppend(content(seq))).isTrue();
            if (ThreadLocalRandom.current().nextInt(100) == 0) {
                Thread.yield();
            }
        }
        log.tryAppend(new RunCompleted(header(total), "", null, null));

        List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
        for (CompletableFuture<List<Long>> reader : seen) {
            assertThat(reader.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
        }
    }

    @Test
    void aReaderStartingAfterASeqGetsOnlyTheEventsAfterIt() {
        RunEventLog log = new RunEventLog();
        for (long seq = 1; seq <= 10; seq++) {
            log.tryAppend(content(seq));
        }

        RunEventLog.Batch batch = log.readAfter(5);

        assertThat(batch.events()).extracting(RunEvent::seq).containsExactly(6L, 7L, 8L, 9L, 10L);
        assertThat(batch.closed()).isFalse();
        assertThat(batch.truncated()).isFalse();
    }

    @Test
    void awaitReturnsAnEmptyBatchWhenNothingCameWithinTheTimeout() throws InterruptedException {
        RunEventLog log = new RunEventLog();
        log.tryAppend(content(1));

        RunEventLog.Batch batch = log.awaitAfter(1, Duration.ofMillis(20));

        assertThat(batch.events()).isEmpty();
        assertThat(batch.closed()).isFalse();
    }

    @Test
    void appendingAfterTheFinalEventIsRefusedAsAValue() {
        RunEventLog log = new RunEventLog();
        log.tryAppend(new RunCompleted(header(1), "done", null, null));

        assertThat(log.tryAppend(content(2))).isFalse();
        assertThat(log.isClosed()).isTrue();
        assertThat(log.readAfter(0).closed()).isTrue();
    }

    @Test
    void aPauseEndsASegmentButKeepsTheLogOpenForContinue() {
        RunEventLog log = new RunEventLog();
        log.tryAppend(content(1));
        log.tryAppend(new RunPaused(header(2), List.of(), List.of()));

        assertThat(log.isClosed()).isFalse();
        assertThat(log.tryAppend(content(3))).isTrue();
    }

    @Test
    void aSeqThatIsNotTheNextOneIsAProducerBug() {
        RunEventLog log = new RunEventLog();
        log.tryAppend(content(1));

        assertThatThrownBy(() -> log.tryAppend(content(3)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("seq: 3 (expected: 2)");
    }

    @Test
    void aReaderBehindTheRetentionWindowIsToldToReplayFromStorage() {
        RunEventLog log = new RunEventLog(16);
        for (long seq = 1; seq <= 40; seq++) {
            log.tryAppend(content(seq));
        }

        RunEventLog.Batch behind = log.readAfter(0);
        long firstKept = behind.events().getFirst().seq();

        assertThat(behind.truncated()).isTrue();
        assertThat(firstKept).isGreaterThan(1);
        assertThat(behind.events().getLast().seq()).isEqualTo(40);
        assertThat(log.readAfter(firstKept - 1).truncated()).isFalse();
    }

    @Test
    void aLogContinuingARestoredRunNumbersOnFromItsLastSeq() {
        RunEventLog log = RunEventLog.continuingAfter(7);

        assertThat(log.lastSeq()).isEqualTo(7);
        assertThat(log.tryAppend(content(8))).isTrue();
        assertThat(log.readAfter(7).events()).extracting(RunEvent::seq).containsExactly(8L);
    }

    @Test
    void memoryIsBoundedByTheSizeOfTheEventsNotOnlyTheirNumber() {
        RunEventLog log = new RunEventLog(100_000, 64 * 1024);
        String kilobyte = "x".repeat(1024);
        for (long seq = 1; seq <= 200; seq++) {
            log.tryAppend(new RunContent(header(seq), kilobyte));
        }

        RunEventLog.Batch all = log.readAfter(0);

        assertThat(all.truncated()).isTrue();
        // 2 bytes a char plus a fixed part: at most ~30 one-kilobyte chunks fit in 64 KiB.
        assertThat(all.events()).hasSizeLessThan(32);
        assertThat(all.events().getLast().seq()).isEqualTo(200);
    }

    @Test
    void aReleasedLogSendsEveryReaderToStorageButStillKnowsItsEnd() {
        RunEventLog log = new RunEventLog();
        for (long seq = 1; seq <= 5; seq++) {
            log.tryAppend(content(seq));
        }
        log.tryAppend(new RunCompleted(header(6), "done", null, null));

        log.release();

        assertThat(log.readAfter(0).truncated()).isTrue();
        assertThat(log.readAfter(0).events()).isEmpty();
        assertThat(log.readAfter(6).truncated()).isFalse();
        assertThat(log.isClosed()).isTrue();
        assertThat(log.lastSeq()).isEqualTo(6);
    }

    @Test
    void readersShareOneWireFormPerEventAndFormat() {
        RunEventLog log = new RunEventLog();
        RunEventLog.MemoKey<String> key = RunEventLog.memoKey("test-format");
        log.tryAppend(content(1));
        java.util.concurrent.atomic.AtomicInteger encodings = new java.util.concurrent.atomic.AtomicInteger();

        String first = log.readAfter(0).entries().getFirst().memo(key, e -> "encoded " + encodings.incrementAndGet());
        String second = log.readAfter(0).entries().getFirst().memo(key, e -> "encoded " + encodings.incrementAndGet());

        assertThat(first).isEqualTo("encoded 1").isSameAs(second);
        assertThat(encodings).hasValue(1);
    }
}
