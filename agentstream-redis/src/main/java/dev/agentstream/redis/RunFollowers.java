package dev.agentstream.redis;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs of other nodes that this node's readers follow live, through one pub/sub connection for
 * the whole node: one subscription per followed run (its channel, {@code agentstream:live:<runId>}),
 * however many readers it has here, and each published batch parsed once for all of them.
 *
 * <p>Why not a blocking XREAD per reader: that holds a Redis connection per waiting reader, so a
 * node's readers were bounded by Redis's clients and every reader's wake-up was a round trip of its
 * own. Here a reader waits on its run's {@link FollowedRun} and reads the stream only to catch up.
 *
 * <p>When the connection comes back after a cut, every run is subscribed again and then resynced
 * (messages published meanwhile are lost; the stream still has them). Thread-safe.
 */
final class RunFollowers implements AutoCloseable {

    private final StatefulRedisPubSubConnection<String, String> connection;
    private final ConcurrentHashMap<String, FollowedRun> byChannel = new ConcurrentHashMap<>();

    RunFollowers(RedisLink link) {
        requireNonNull(link, "link");
        this.connection = link.pubSub();
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                FollowedRun run = byChannel.get(channel);
                if (run != null) {
                    run.add(RunStreamCodec.events(message));
                }
            }
        });
        link.onConnected(reconnected -> {
            if (reconnected == connection) {
                resubscribeAll();
            }
        });
    }

    /** Follows the run for one more reader of this node; each call is matched by {@link #unfollow}. */
    FollowedRun follow(String runId) {
        return byChannel.compute(RunStreamCodec.channel(runId), (channel, current) -> {
            FollowedRun run = current == null ? new FollowedRun() : current;
            if (current == null || run.subscribed().isCompletedExceptionally()) {
                subscribe(channel, run);
            }
            run.followers++;
            return run;
        });
    }

    /** One reader less; the run's subscription ends with its last reader. */
    void unfollow(String runId, FollowedRun run) {
        byChannel.computeIfPresent(RunStreamCodec.channel(runId), (channel, current) -> {
            if (current != run || --current.followers > 0) {
                return current;
            }
            connection.async().unsubscribe(channel);
            return null;
        });
    }

    /** Runs followed by this node's readers now. */
    int size() {
        return byChannel.size();
    }

    private void subscribe(String channel, FollowedRun run) {
        CompletableFuture<Void> confirmation = new CompletableFuture<>();
        run.subscribing(confirmation);
        connection.async().subscribe(channel).whenComplete((done, failure) -> {
            if (failure == null) {
                confirmation.complete(null);
            } else {
                confirmation.completeExceptionally(failure);
            }
        });
    }

    /** After a cut: drop whatever the connection brought back, subscribe to what is followed now, resync each. */
    private void resubscribeAll() {
        connection.async().unsubscribe();
        byChannel.forEach((channel, run) -> {
            subscribe(channel, run);
            run.resync();
        });
    }

    @Override
    public void close() {
        connection.close();
    }
}
