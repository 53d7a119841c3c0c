package dev.agentstream.redis;

import static java.util.Objects.requireNonNull;

import dev.agentstream.event.EventJson;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunEvent;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.XAddArgs;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each run's events as a Redis stream, so that a reader on any node replays and follows a run that
 * executes elsewhere without polling the store: the {@link RunStreamPublisher} this node's runtime
 * observes with, a {@link RunStreamReader} per reader (following live through one subscription per
 * run and node, {@link RunFollowers}), and the terminal event another node writes
 * for a run whose node died. Thread-safe.
 */
public final class RunStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunStreams.class);

    /**
     * Entries a running run's stream keeps, about (trimmed with {@code MAXLEN ~}): a reader that
     * falls further behind takes the older part from the store, which holds every event by then.
     * About 1,000 tokens of ~200 bytes: 200 KB per stream, 200 MB for a thousand streams.
     */
    public static final long DEFAULT_MAX_LEN = 1_000;

    private final RedisLink link;
    private final Duration retention;
    private final RunStreamPublisher publisher;
    private final RunFollowers followers;

    public RunStreams(RedisLink link, Duration retention, long maxLen) {
        this.link = requireNonNull(link, "link");
        this.retention = requireNonNull(retention, "retention");
        if (retention.toMillis() < 1 || maxLen < 1) {
            throw new IllegalArgumentException("retention " + retention + ", maxLen " + maxLen + " (expected: positive)");
        }
        this.publisher = new RunStreamPublisher(link, maxLen, retention);
        this.followers = new RunFollowers(link);
    }

    public RunStreams(RedisLink link, Duration retention) {
        this(link, retention, DEFAULT_MAX_LEN);
    }

    /** The observer to register with this node's runtime. */
    public RunStreamPublisher publisher() {
        return publisher;
    }

    /** A reader of the run's stream; the caller closes it. */
    public RunStreamReader reader(String runId) {
        return new RunStreamReader(link, followers, runId);
    }

    /**
     * Adds the end another node wrote for a run whose node died. That node may have sent events the
     * store never got (its last flush was lost with it), so the end's seq may not be newer than the
     * stream's newest: then it follows the newest, so that readers of the stream still get it.
     *
     * A member run's end goes to its team's stream, where its events are.
     *
     * @return the end as the stream holds it; empty if Redis could not be reached
     */
    public Optional<RunCancelled> appendEnd(RunCancelled end) {
        if (!link.isUp()) {
            return Optional.empty();
        }
        var redis = link.commands().sync();
        String streamRunId = end.parentRunId() != null ? end.parentRunId() : end.runId();
        String key = RunStreamCodec.key(streamRunId);
        RunCancelled placed = end;
        try {
            try {
                redis.xadd(key, new XAddArgs().id(RunStreamCodec.id(end.seq())), RunStreamCodec.body(end));
            } catch (RedisCommandExecutionException notNewer) {
                long newest;
                try (RunStreamReader reader = reader(streamRunId)) {
                    newest = reader.newest().map(RunEvent::seq).orElse(end.seq());
                }
                placed = new RunCancelled(newest + 1, end.runId(), end.sessionId(), end.agentId(), end.teamId(),
                    end.parentRunId(), end.createdAt(), end.reason(), end.content());
                redis.xadd(key, new XAddArgs().id(RunStreamCodec.id(placed.seq())), RunStreamCodec.body(placed));
            }
            redis.pexpire(key, retention.toMillis());
            redis.publish(RunStreamCodec.channel(streamRunId), EventJson.write(placed));
            return Optional.of(placed);
        } catch (RuntimeException e) {
            // Readers still end: the store holds the end, and they fall back to it when the stream is gone.
            LOG.warn("writing the end of run {} to its redis stream failed: {}", end.runId(), e.toString());
            return Optional.empty();
        }
    }

    /** Runs of other nodes that readers of this node follow live now (one subscription each). */
    public int followedRuns() {
        return followers.size();
    }

    public Duration retention() {
        return retention;
    }

    @Override
    public void close() {
        try {
            publisher.close();
        } finally {
            followers.close();
        }
    }
}
