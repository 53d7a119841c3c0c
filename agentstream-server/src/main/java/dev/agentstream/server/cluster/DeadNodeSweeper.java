package dev.agentstream.server.cluster;

import dev.agentstream.event.RunCancelled;
import dev.agentstream.redis.NodeHeartbeats;
import dev.agentstream.store.Storage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the runs of nodes that died: every check, the owners of RUNNING runs whose heartbeat expired
 * get their runs marked INTERRUPTED (reason {@code node_lost}) with the content they flushed, and
 * each run's terminal event goes to {@code onEnd} so that readers elsewhere stop waiting. Any
 * number of nodes may sweep at once: the store takes each run once.
 */
final class DeadNodeSweeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadNodeSweeper.class);

    private final Storage storage;
    private final NodeHeartbeats heartbeats;
    private final Consumer<RunCancelled> onEnd;
    private final ScheduledExecutorService schedule;

    DeadNodeSweeper(Storage storage, NodeHeartbeats heartbeats, Duration every, Consumer<RunCancelled> onEnd) {
        this.storage = storage;
        this.heartbeats = heartbeats;
        this.onEnd = onEnd;
        this.schedule = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("agentstream-node-sweeper").factory());
        schedule.scheduleWithFixedDelay(this::sweepQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One check; returns how many runs it ended. */
    int sweep() {
        Set<String> owners = storage.nodesWithRunningRuns();
        if (owners.isEmpty()) {
            return 0;
        }
        Optional<Set<String>> dead = heartbeats.deadAmong(owners);
        int ended = 0;
        for (String node : dead.orElse(Set.of())) {
            List<RunCancelled> ends = storage.interruptRunsOf(node, RunCancelled.REASON_NODE_LOST);
            if (!ends.isEmpty()) {
                LOG.warn("node {} stopped beating: interrupted its {} running runs", node, ends.size());
            }
            ends.forEach(onEnd);
            ended += ends.size();
        }
        return ended;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("looking for dead nodes failed; will try again: {}", e.toString());
        }
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
