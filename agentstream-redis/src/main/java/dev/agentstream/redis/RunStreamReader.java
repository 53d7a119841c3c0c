package dev.agentstream.redis;

import static java.util.Objects.requireNonNull;

import dev.agentstream.event.RunEvent;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One reader's view of one run's Redis stream. Reads that return at once use the node's shared
 * connection. A reader that waits for live events follows the run through the node's
 * {@link RunFollowers} (one subscription per run, shared by its readers here) from its first wait
 * until it is closed, and reads the stream only to catch up: on its first wait, after the
 * subscription was cut, or when it fell behind what the node keeps of the run.
 *
 * <p>Thread contract: not thread-safe; owned by one reader's thread.
 */
public final class RunStreamReader implements AutoCloseable {

    /** Longest single wait, so that the caller looks around (has the run ended elsewhere?) now and then. */
    static final Duration MAX_WAIT = Duration.ofSeconds(1);
    /** How long a first wait may take for Redis to confirm the run's subscription. */
    private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(2);

    private final RedisLink link;
    private final RunFollowers followers;
    private final String runId;
    private final String key;
    private FollowedRun followed;
    /** The followed run's epoch this reader last caught up from the stream in; -1 before its first wait. */
    private long syncedEpoch = -1;

    RunStreamReader(RedisLink link, RunFollowers followers, String runId) {
        this.link = requireNonNull(link, "link");
        this.followers = requireNonNull(followers, "followers");
        this.runId = requireNonNull(runId, "runId");
        this.key = RunStreamCodec.key(runId);
    }

    /** Up to {@code max} events after {@code afterSeq} that are in the stream now, oldest first, without waiting. */
    public List<RunEvent> readAfter(long afterSeq, int max) {
        List<StreamMessage<String, String>> messages = link.commands().sync()
            .xrange(key, Range.create(RunStreamCodec.id(afterSeq + 1), "+"), Limit.from(max));
        return messages.stream().map(RunStreamCodec::event).toList();
    }

    /**
     * Up to {@code max} events after {@code afterSeq}, waiting up to {@code wait} (at most
     * {@link #MAX_WAIT}) for the first; empty if none came.
     *
     * @throws io.lettuce.core.RedisException if Redis cannot be reached or did not confirm the subscription
     */
    public List<RunEvent> awaitAfter(long afterSeq, int max, Duration wait) throws InterruptedException {
        if (followed == null) {
            followed = followers.follow(runId);
        }
        long epoch = followed.epoch();
        if (epoch != syncedEpoch) {
            // Subscribed first, then read: whatever the stream lacks now arrives through the subscription.
            followed.awaitSubscribed(SUBSCRIBE_WAIT);
            syncedEpoch = epoch;
            List<RunEvent> caughtUp = readAfter(afterSeq, max);
            if (!caughtUp.isEmpty()) {
                return caughtUp;
            }
        }
        Duration bounded = wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
        List<RunEvent> live = followed.awaitAfter(afterSeq, max, bounded, syncedEpoch);
        return live != null ? live : readAfter(afterSeq, max);
    }

    /** The newest event of the stream; empty if the stream is gone (its retention passed) or never was. */
    public Optional<RunEvent> newest() {
        List<StreamMessage<String, String>> last = link.commands().sync().xrevrange(key, Range.create("-", "+"), Limit.from(1));
        return last.isEmpty() ? Optional.empty() : Optional.of(RunStreamCodec.event(last.getFirst()));
    }

    @Override
    public void close() {
        if (followed != null) {
            followers.unfollow(runId, followed);
            followed = null;
        }
    }
}
