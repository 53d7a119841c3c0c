package dev.agentstream.redis;

import static java.util.Objects.requireNonNull;

import dev.agentstream.event.EventJson;
import dev.agentstream.event.RunEvent;
import dev.agentstream.run.RunInfo;
import dev.agentstream.run.RunObserver;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies every run's events of this node to its Redis stream. The run's emit lock only sees a
 * queue offer; one virtual thread drains the queue and sends each batch as one pipeline (XADD with
 * approximate MAXLEN per event, then per stream a PEXPIRE and a PUBLISH of the batch's events to
 * the nodes following the run live) on a connection of its own, so a thousand streams at ten tokens
 * a second cost a few round trips a second, not ten thousand.
 *
 * <p>A stream lives {@code retention} after its newest event: long after the run ended no key is
 * left behind, even for a run whose node died. An event that cannot reach Redis (queue full, Redis
 * away) is counted and skipped: readers see the gap in seq and take those events from the store.
 * Member runs of a team go to their team's stream, as they share its seq. Thread-safe.
 */
public final class RunStreamPublisher implements RunObserver, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunStreamPublisher.class);
    /** Events waiting to be sent, at most: a few seconds of a busy node's tokens. */
    static final int QUEUE_CAPACITY = 100_000;
    private static final int MAX_BATCH = 2_000;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration WARN_EVERY = Duration.ofSeconds(10);

    /** An event for the stream of run {@code streamRunId} (its own, or its team's). */
    private record Pending(String streamRunId, RunEvent event) {
    }

    private final RedisLink link;
    private final long maxLen;
    private final long retentionMillis;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    /** Member run -> the run whose stream it writes to; only for runs with a parent, while they go. */
    private final Map<String, String> rootOf = new ConcurrentHashMap<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final StatefulRedisConnection<String, String> connection;
    private final Thread sender;
    private volatile boolean closing;
    /** Written by the sender thread only. */
    private long lastWarnNanos = System.nanoTime() - WARN_EVERY.toNanos();

    RunStreamPublisher(RedisLink link, long maxLen, Duration retention) {
        this.link = requireNonNull(link, "link");
        this.maxLen = maxLen;
        this.retentionMillis = retention.toMillis();
        this.connection = link.dedicated();
        // Pipelining: commands are written when a batch is complete, not one by one.
        connection.setAutoFlushCommands(false);
        this.sender = Thread.ofVirtual().name("agentstream-event-streams").start(this::sendLoop);
    }

    @Override
    public void onEvent(RunInfo run, RunEvent event) {
        String root = run.parentRunId() == null ? run.runId() : rootOf.computeIfAbsent(run.runId(),
            member -> rootOf.getOrDefault(run.parentRunId(), run.parentRunId()));
        if (run.parentRunId() != null && event.isFinal()) {
            rootOf.remove(run.runId());
        }
        if (closing || !queue.offer(new Pending(root, event))) {
            skipped.increment();
        }
    }

    private void sendLoop() {
        List<Pending> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                send(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                skipped.add(batch.size());
                warnSkipped("copying " + batch.size() + " events to redis failed: " + e);
            } finally {
                batch.clear();
            }
        }
    }

    private void send(List<Pending> batch) throws InterruptedException {
        if (!link.isUp()) {
            skipped.add(batch.size());
            warnSkipped("redis is away: " + batch.size() + " events did not reach their redis stream");
            return;
        }
        RedisAsyncCommands<String, String> redis = connection.async();
        List<RedisFuture<?>> replies = new ArrayList<>(batch.size() + 8);
        Map<String, List<String>> byStream = new LinkedHashMap<>();
        for (Pending pending : batch) {
            String json = EventJson.write(pending.event());
            XAddArgs args = new XAddArgs().id(RunStreamCodec.id(pending.event().seq())).maxlen(maxLen).approximateTrimming();
            replies.add(redis.xadd(RunStreamCodec.key(pending.streamRunId()), args, RunStreamCodec.body(json)));
            byStream.computeIfAbsent(pending.streamRunId(), run -> new ArrayList<>()).add(json);
        }
        // After the XADDs on the same connection: a follower that hears of an event finds it in the stream.
        byStream.forEach((runId, jsons) -> {
            replies.add(redis.pexpire(RunStreamCodec.key(runId), retentionMillis));
            replies.add(redis.publish(RunStreamCodec.channel(runId), RunStreamCodec.announcement(jsons)));
        });
        connection.flushCommands();
        awaitReplies(replies);
        int failed = 0;
        for (int i = 0; i < batch.size(); i++) {
            // An id not newer than the stream's last is an event already there: nothing lost.
            String error = replies.get(i).isDone() ? replies.get(i).getError() : "timeout";
            if (error != null && !error.contains("equal or smaller")) {
                failed++;
            }
        }
        sent.add(batch.size() - failed);
        if (failed > 0) {
            skipped.add(failed);
            warnSkipped(failed + " of " + batch.size() + " events did not reach their redis stream");
        }
    }

    /** At most one warning every {@link #WARN_EVERY}: while Redis is away every batch would warn. */
    private void warnSkipped(String what) {
        long now = System.nanoTime();
        if (now - lastWarnNanos >= WARN_EVERY.toNanos()) {
            lastWarnNanos = now;
            LOG.warn("{}; readers elsewhere take them from the store ({} skipped so far)", what, skipped.sum());
        }
    }

    /** Waits until every reply is in (or the timeout passed); a reply that is an error is looked at by the caller. */
    private static void awaitReplies(List<RedisFuture<?>> replies) throws InterruptedException {
        try {
            CompletableFuture.allOf(replies.stream().map(RedisFuture::toCompletableFuture).toArray(CompletableFuture[]::new))
                .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Counted per reply below.
        }
    }

    /** Events written to Redis streams so far. */
    public long sent() {
        return sent.sum();
    }

    /** Events that could not be written (queue full, Redis away); readers replay them from the store. */
    public long skipped() {
        return skipped.sum();
    }

    /** Sends what is queued (for up to two seconds), then stops. */
    @Override
    public void close() {
        closing = true;
        try {
            sender.join(SEND_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
        connection.close();
    }
}
