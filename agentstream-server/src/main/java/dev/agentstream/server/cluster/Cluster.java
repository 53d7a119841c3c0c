package dev.agentstream.server.cluster;

import dev.agentstream.redis.NodeHeartbeats;
import dev.agentstream.redis.RedisCancellationBus;
import dev.agentstream.redis.RedisLink;
import dev.agentstream.redis.RunStreams;
import dev.agentstream.server.AgentstreamServer;
import dev.agentstream.server.ClusterConfig;
import dev.agentstream.store.Storage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in a group of nodes sharing PostgreSQL and Redis: the cross-node cancel bus and
 * the runs' event streams (handed to the server's builder), this node's heartbeat and the sweep that
 * ends the runs of nodes whose heartbeat expired (their ends go to the event streams too, so readers
 * elsewhere get them), opened from a {@link ClusterConfig}. Closed after the server,
 * before the storage.
 */
public final class Cluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

    /** How often this node looks for dead nodes: their runs end within the heartbeat ttl plus this. */
    static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final RedisCancellationBus cancellationBus;
    private final RunStreams eventStreams;

    private Cluster(ClusterConfig config, Storage storage) {
        RedisLink link = RedisLink.connect(config.redisUrl());
        opened.add(link);
        try {
            this.cancellationBus = new RedisCancellationBus(link);
            opened.add(cancellationBus);
            this.eventStreams = new RunStreams(link, config.eventsRetention());
            opened.add(eventStreams);
            NodeHeartbeats heartbeats = new NodeHeartbeats(link, config.nodeId(), config.nodeTtl());
            opened.add(heartbeats);
            opened.add(new DeadNodeSweeper(storage, heartbeats, SWEEP_EVERY, eventStreams::appendEnd));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("node {} joined the cluster through {}", config.nodeId(), link.safeUrl());
    }

    /**
     * Connects to Redis as {@code config} says.
     *
     * @throws RuntimeException if Redis cannot be reached now
     */
    public static Cluster join(ClusterConfig config, Storage storage) {
        return new Cluster(config, storage);
    }

    /** Hands the cross-node parts to the server being built. */
    public AgentstreamServer.Builder configure(AgentstreamServer.Builder builder) {
        return builder.cancellationBus(cancellationBus).eventStreams(eventStreams);
    }

    /** Closes in the reverse order of opening. Idempotent enough: each part closes once. */
    @Override
    public void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.remove(i).close();
            } catch (Exception e) {
                LOG.warn("closing a part of the cluster link failed: {}", e.toString());
            }
        }
    }
}
