package dev.agentstream.redis;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node liveness through Redis: this node refreshes {@code agentstream:node:<id>} (time to live
 * {@code ttl}) every third of the ttl, and tells which other nodes' keys expired.
 *
 * <p>A missing key is taken as a death only when this node can judge: Redis is up and was reached
 * continuously for at least one ttl (after Redis restarts empty, every node needs a beat to put its
 * key back). Thread-safe; the beat runs on a virtual thread.
 */
public final class NodeHeartbeats implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeats.class);
    static final String KEY_PREFIX = RedisLink.PREFIX + "node:";

    private final RedisLink link;
    private final String nodeId;
    private final Duration ttl;
    private final ScheduledExecutorService beat;
    private volatile long connectedSinceNanos;

    public NodeHeartbeats(RedisLink link, String nodeId, Duration ttl) {
        this.link = requireNonNull(link, "link");
        this.nodeId = requireNonNull(nodeId, "nodeId");
        this.ttl = requireNonNull(ttl, "ttl");
        this.connectedSinceNanos = System.nanoTime();
        link.onConnected(connection -> {
            if (connection == link.commands()) {
                connectedSinceNanos = System.nanoTime();
                beatQuietly();
            }
        });
        // The first beat before anything runs here: no other node may take this one for dead.
        link.commands().sync().set(KEY_PREFIX + nodeId, "alive", SetArgs.Builder.px(ttl.toMillis()));
        this.beat = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("agentstream-heartbeat").factory());
        long every = Math.max(100, ttl.toMillis() / 3);
        beat.scheduleWithFixedDelay(this::beatQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    private void beatQuietly() {
        if (!link.isUp()) {
            return;
        }
        try {
            link.commands().async().set(KEY_PREFIX + nodeId, "alive", SetArgs.Builder.px(ttl.toMillis()))
                .get(ttl.toMillis() / 3, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("heartbeat of node {} failed: {}", nodeId, e.toString());
        }
    }

    /**
     * Which of {@code nodeIds} are dead: their heartbeat expired. Empty when this node cannot judge
     * now (Redis away, or reached again less than one ttl ago). Never names this node.
     */
    public Optional<Set<String>> deadAmong(Collection<String> nodeIds) {
        List<String> others = nodeIds.stream().filter(id -> !id.equals(nodeId)).toList();
        if (!link.isUp() || System.nanoTime() - connectedSinceNanos < ttl.toNanos()) {
            return Optional.empty();
        }
        if (others.isEmpty()) {
            return Optional.of(Set.of());
        }
        try {
            var redis = link.commands().sync();
            List<String> dead = new ArrayList<>();
            for (String other : others) {
                if (redis.exists(KEY_PREFIX + other) == 0) {
                    dead.add(other);
                }
            }
            return Optional.of(Set.copyOf(dead));
        } catch (RuntimeException e) {
            LOG.debug("checking heartbeats failed: {}", e.toString());
            return Optional.empty();
        }
    }

    public String nodeId() {
        return nodeId;
    }

    public Duration ttl() {
        return ttl;
    }

    /** Stops beating and removes this node's key: a node that stops gracefully is gone at once. */
    @Override
    public void close() {
        beat.shutdownNow();
        if (link.isUp()) {
            try {
                link.commands().async().del(KEY_PREFIX + nodeId).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("removing the heartbeat of node {} failed: {}", nodeId, e.toString());
            }
        }
    }
}
