package dev.agentstream.redis;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's connections to Redis: one shared command connection (thread-safe, pipelined by
 * Lettuce), pub/sub connections, and dedicated connections on demand (the event publisher
 * pipelines on one of its own). Lettuce reconnects by itself; while Redis is away commands fail at
 * once instead of queueing without bound, and {@link #onConnected} hooks run when a connection comes
 * back.
 *
 * <p>Keys are namespaced with {@code agentstream:}. Thread-safe.
 */
public final class RedisLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
    static final String PREFIX = "agentstream:";

    /**
     * Reconnect attempts back off from 50 ms to at most 1 s (Lettuce's default grows to 30 s): after
     * Redis returns, every node must beat again well within the heartbeat ttl, or the others would
     * take it for dead and interrupt its runs.
     */
    private static final Delay RECONNECT_DELAY = Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2,
        TimeUnit.MILLISECONDS);

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final String safeUrl;
    private final CopyOnWriteArrayList<Consumer<Object>> reconnectHooks = new CopyOnWriteArrayList<>();

    private RedisLink(ClientResources resources, RedisClient client, String safeUrl) {
        this.resources = resources;
        this.client = client;
        this.safeUrl = safeUrl;
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                // Hooks may talk to Redis: never on Lettuce's event loop.
                reconnectHooks.forEach(hook -> Thread.ofVirtual().name("agentstream-redis-reconnect")
                    .start(() -> hook.accept(connection)));
            }
        });
        this.commands = client.connect();
    }

    /**
     * Connects to {@code redis://[user:password@]host:port[/db]} ({@code rediss://} for TLS).
     *
     * @throws IllegalArgumentException if the URL is not a Redis URL
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached now
     */
    public static RedisLink connect(String url) {
        requireNonNull(url, "url");
        if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
            throw new IllegalArgumentException("redis url: " + mask(url) + " (expected: redis://host:port)");
        }
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(Duration.ofSeconds(2));
        ClientResources resources = ClientResources.builder().reconnectDelay(RECONNECT_DELAY).build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
            .autoReconnect(true)
            // Fail fast while Redis is away: callers answer 503 or fall back, nothing piles up.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
            .build());
        try {
            RedisLink link = new RedisLink(resources, client, mask(url));
            LOG.info("redis connected: {}", link.safeUrl);
            return link;
        } catch (RuntimeException e) {
            client.shutdown();
            resources.shutdown();
            throw e;
        }
    }

    /** The shared command connection; never use it for blocking commands. */
    StatefulRedisConnection<String, String> commands() {
        return commands;
    }

    /** A new pub/sub connection; the caller closes it. */
    StatefulRedisPubSubConnection<String, String> pubSub() {
        return client.connectPubSub();
    }

    /** A new connection of its own (for pipelining, or anything that must not share); the caller closes it. */
    StatefulRedisConnection<String, String> dedicated() {
        return client.connect();
    }

    /** True while the command connection is up. */
    public boolean isUp() {
        return commands.isOpen();
    }

    /**
     * Runs {@code hook} on a virtual thread each time one of this link's connections to Redis is
     * (re)established, with that connection (compare it by identity).
     */
    void onConnected(Consumer<Object> hook) {
        reconnectHooks.add(hook);
    }

    /** The URL without its password, for logs and errors. */
    public String safeUrl() {
        return safeUrl;
    }

    static String mask(String url) {
        return url.replaceAll("//([^@/]*)@", "//***@");
    }

    @Override
    public void close() {
        try {
            commands.close();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
