package dev.agentstream.redis;

import static java.util.Objects.requireNonNull;

import dev.agentstream.run.CancellationBus;
import dev.agentstream.run.InProcessCancellationBus;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cross-node {@link CancellationBus}: a cancel is remembered under a key with a time to live
 * ({@code agentstream:cancel:<runId>}) and announced on the channel {@code agentstream:cancel}. The
 * key lets a run that registers later, on any node, still see its cancel; after a node's
 * subscription reconnects it re-reads every remembered cancel, so none is lost while it was away.
 *
 * <p>Local listeners are called at once on the requesting thread, so a run of this node stops
 * without a round trip and even while Redis is down; requests from other nodes are delivered on a
 * virtual thread. Thread-safe.
 */
public final class RedisCancellationBus implements CancellationBus {

    private static final Logger LOG = LoggerFactory.getLogger(RedisCancellationBus.class);
    static final String CHANNEL = RedisLink.PREFIX + "cancel";
    static final String KEY_PREFIX = RedisLink.PREFIX + "cancel:";
    /** How long a lookup of a remembered cancel may hold a starting run. */
    private static final Duration LOOKUP_WAIT = Duration.ofMillis(250);
    /** Remembered cancels re-read after a reconnect, at most. */
    private static final int MAX_REPLAYED = 10_000;

    private final RedisLink link;
    private final long memorySeconds;
    private final InProcessCancellationBus local;
    /** Tells this node's own announcements apart from other nodes'. */
    private final String sender = UUID.randomUUID().toString();
    private final StatefulRedisPubSubConnection<String, String> subscription;

    public RedisCancellationBus(RedisLink link, Duration memory) {
        this.link = requireNonNull(link, "link");
        this.memorySeconds = Math.max(1, memory.toSeconds());
        this.local = new InProcessCancellationBus(memory, System::nanoTime);
        this.subscription = link.pubSub();
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                onAnnouncement(message);
            }
        });
        // Either connection may come back first: whichever is last finds both up and catches up.
        link.onConnected(connection -> {
            if (connection == subscription || connection == link.commands()) {
                resubscribeAndReplay();
            }
        });
        subscription.sync().subscribe(CHANNEL);
    }

    public RedisCancellationBus(RedisLink link) {
        this(link, Duration.ofMinutes(10));
    }

    @Override
    public void requestCancel(String runId, String reason) {
        local.requestCancel(runId, reason);
        if (!link.isUp()) {
            LOG.warn("redis is down: the cancel of run {} reaches only this node", runId);
            return;
        }
        RedisAsyncCommands<String, String> redis = link.commands().async();
        // Key first, then the announcement: a node that misses the message still finds the key.
        redis.set(KEY_PREFIX + runId, reason, SetArgs.Builder.ex(memorySeconds));
        redis.publish(CHANNEL, sender + "\n" + runId + "\n" + reason).whenComplete((receivers, failure) -> {
            if (failure != null) {
                LOG.warn("announcing the cancel of run {} failed: {}", runId, failure.toString());
            }
        });
    }

    @Override
    public Optional<String> pendingCancel(String runId) {
        Optional<String> known = local.pendingCancel(runId);
        if (known.isPresent() || !link.isUp()) {
            return known;
        }
        try {
            String reason = link.commands().async().get(KEY_PREFIX + runId)
                .get(LOOKUP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.ofNullable(reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            LOG.warn("looking up a cancel of run {} in redis failed: {}", runId, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<CancelRequest> listener) {
        return local.subscribe(listener);
    }

    private void onAnnouncement(String message) {
        String[] parts = message.split("\n", 3);
        if (parts.length != 3 || parts[0].equals(sender)) {
            return;
        }
        // Lettuce's event loop must not run a cancel (it closes an upstream connection).
        Thread.ofVirtual().name("agentstream-redis-cancel").start(() -> local.requestCancel(parts[1], parts[2]));
    }

    /**
     * Once both connections are back: makes sure the channel is subscribed (announcements from now
     * on arrive), then re-reads the remembered cancels (those announced before), so none falls
     * between the two. Harmless when it runs twice: a cancel is idempotent.
     */
    private void resubscribeAndReplay() {
        if (!subscription.isOpen() || !link.isUp()) {
            return;
        }
        try {
            subscription.sync().subscribe(CHANNEL);
        } catch (RuntimeException e) {
            LOG.warn("subscribing to cancels again failed: {}", e.toString());
            return;
        }
        replayRemembered();
    }

    /** Delivers every cancel Redis still remembers: those announced while this node was not listening. */
    private void replayRemembered() {
        try {
            var redis = link.commands().sync();
            ScanCursor cursor = ScanCursor.INITIAL;
            int replayed = 0;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(KEY_PREFIX + "*").limit(500));
                List<String> keys = page.getKeys();
                if (!keys.isEmpty()) {
                    for (KeyValue<String, String> kv : redis.mget(keys.toArray(String[]::new))) {
                        if (kv.hasValue()) {
                            local.requestCancel(kv.getKey().substring(KEY_PREFIX.length()), kv.getValue());
                            replayed++;
                        }
                    }
                }
                cursor = page;
            } while (!cursor.isFinished() && replayed < MAX_REPLAYED);
            LOG.debug("re-read {} remembered cancels after connecting", replayed);
        } catch (RuntimeException e) {
            LOG.warn("re-reading remembered cancels failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } finally {
            local.close();
        }
    }
}
