package dev.agentstream.redis;

import static java.util.Objects.requireNonNull;

import dev.agentstream.event.RunEvent;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * One reader's view of one run's Redis stream. Reads that return at once use the node's shared
 * connection; a read that blocks (XREAD BLOCK) holds a connection, so this reader opens one of its
 * own the first time it waits, and closes it with the reader. A reader lives on the virtual thread
 * of its SSE connection, so waiting costs no platform thread. Such connections are bounded per
 * node ({@code blockingSlots}): past the bound a reader looks without blocking, every
 * {@link #OVER_BOUND_PAUSE}, so that ten thousand readers cannot exhaust Redis's clients.
 *
 * <p>Thread contract: not thread-safe; owned by one reader's thread.
 */
public final class RunStreamReader implements AutoCloseable {

    /** Longest single XREAD BLOCK: below the link's command timeout, so a wait never counts as a failure. */
    static final Duration MAX_BLOCK = Duration.ofSeconds(1);
    /** How often a reader past the bound on blocking connections looks for new events. */
    static final Duration OVER_BOUND_PAUSE = Duration.ofMillis(50);

    private final RedisLink link;
    private final String key;
    private final Semaphore blockingSlots;
    private StatefulRedisConnection<String, String> blocking;
    private boolean overBound;

    RunStreamReader(RedisLink link, String runId, Semaphore blockingSlots) {
        this.link = requireNonNull(link, "link");
        this.key = RunStreamCodec.key(requireNonNull(runId, "runId"));
        this.blockingSlots = requireNonNull(blockingSlots, "blockingSlots");
    }

    /** Up to {@code max} events after {@code afterSeq} that are in the stream now, oldest first, without waiting. */
    public List<RunEvent> readAfter(long afterSeq, int max) {
        List<StreamMessage<String, String>> messages = link.commands().sync()
            .xrange(key, Range.create(RunStreamCodec.id(afterSeq + 1), "+"), Limit.from(max));
        return messages.stream().map(RunStreamCodec::event).toList();
    }

    /**
     * Up to {@code max} events after {@code afterSeq}, waiting up to {@code wait} (at most
     * {@link #MAX_BLOCK}) for the first; empty if none came.
     */
    public List<RunEvent> awaitAfter(long afterSeq, int max, Duration wait) throws InterruptedException {
        long millis = Math.max(1, Math.min(wait.toMillis(), MAX_BLOCK.toMillis()));
        if (blocking == null && !overBound) {
            openBlocking();
        }
        if (blocking == null) {
            List<RunEvent> now = readAfter(afterSeq, max);
            if (!now.isEmpty()) {
                return now;
            }
            Thread.sleep(Math.min(millis, OVER_BOUND_PAUSE.toMillis()));
            return readAfter(afterSeq, max);
        }
        List<StreamMessage<String, String>> messages = blocking.sync().xread(
            XReadArgs.Builder.block(millis).count(max), XReadArgs.StreamOffset.from(key, RunStreamCodec.id(afterSeq)));
        return messages == null ? List.of() : messages.stream().map(RunStreamCodec::event).toList();
    }

    /** A connection of this reader's own for XREAD BLOCK, if the node's bound allows one more. */
    private void openBlocking() {
        if (!blockingSlots.tryAcquire()) {
            overBound = true;
            return;
        }
        try {
            blocking = link.dedicated();
        } catch (RuntimeException e) {
            blockingSlots.release();
            throw e;
        }
    }

    /** The newest event of the stream; empty if the stream is gone (its retention passed) or never was. */
    public Optional<RunEvent> newest() {
        List<StreamMessage<String, String>> last = link.commands().sync().xrevrange(key, Range.create("-", "+"), Limit.from(1));
        return last.isEmpty() ? Optional.empty() : Optional.of(RunStreamCodec.event(last.getFirst()));
    }

    @Override
    public void close() {
        if (blocking != null) {
            try {
                blocking.close();
            } finally {
                blocking = null;
                blockingSlots.release();
            }
        }
    }
}
