package dev.agentstream.server.run;

import static java.util.Objects.requireNonNull;

import dev.agentstream.server.http.ApiError;
import dev.agentstream.store.StoredRun;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The other nodes this node shares its database with, as far as this node can tell: whether there
 * are any (Redis configured), and whether what crosses to them (Redis) is reachable now. Operations
 * on a run another node owns need that; while it is away they answer 503 with {@code Retry-After},
 * and everything local goes on. Immutable; thread-safe.
 */
public final class Peers {

    /** How long a client is asked to wait while Redis is away: Lettuce reconnects within about that. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final String nodeId;
    private final BooleanSupplier reachable;

    private Peers(String nodeId, BooleanSupplier reachable) {
        this.nodeId = nodeId;
        this.reachable = reachable;
    }

    /** A node working alone: nothing crosses nodes, nothing is ever unreachable. */
    public static Peers none() {
        return new Peers(null, () -> true);
    }

    /** This node ({@code nodeId}, as runs name their owner) among others, reached while {@code reachable}. */
    public static Peers reachedWhile(String nodeId, BooleanSupplier reachable) {
        return new Peers(requireNonNull(nodeId, "nodeId"), requireNonNull(reachable, "reachable"));
    }

    /** True when other nodes may share this node's runs and sessions. */
    public boolean clustered() {
        return nodeId != null;
    }

    /** True while what crosses nodes is reachable (always, alone). */
    public boolean reachable() {
        return reachable.getAsBoolean();
    }

    /** True if another node owns the stored run (executes it, or paused it and still holds it). */
    boolean ownedElsewhere(StoredRun run) {
        return clustered() && run.ownerNode() != null && !run.ownerNode().equals(nodeId);
    }

    /**
     * Refuses, with 503 and {@code Retry-After}, an operation that must reach another node while
     * Redis is away.
     *
     * @param operation what was asked, for the message ("cancelling run r1, which node-a executes")
     */
    void requireReachable(String operation) {
        if (!reachable()) {
            throw ApiError.retryLater(503, "cluster_unavailable", operation + " needs Redis, which this node"
                + " cannot reach now; try again shortly", RETRY_AFTER);
        }
    }
}
