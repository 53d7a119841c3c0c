package dev.agentstream.bench.load;

import java.util.Map;

/**
 * The server's resources at one moment of a soak: what would grow if something leaked.
 *
 * @param heapKb used heap right after a full GC, KiB
 * @param threads live (platform) threads of the process
 * @param openFiles file descriptors the process holds
 * @param connections open TCP connections on the server's port
 * @param poolActive store connections in use ({@code hikaricp_connections_active})
 * @param poolIdle store connections idle in the pool
 * @param poolPending threads waiting for a store connection
 * @param runsByStatus stored runs by status
 * @param runsStartedMetric runs the server counted as started ({@code agentstream_runs_total{outcome="started"}})
 */
record ServerFigures(long heapKb, int threads, int openFiles, int connections, double poolActive, double poolIdle,
                     double poolPending, Map<String, Long> runsByStatus, double runsStartedMetric) {

    private static final String POOL = "pool=\"agentstream-store\"";

    static ServerFigures take(ProcessProbe probe, SocketTable sockets, PrometheusText metrics, StoredRuns runs)
            throws Exception {
        return new ServerFigures(probe.usedHeapKbAfterGc(), probe.threads(), probe.openFiles(), sockets.openConnections(),
            metrics.value("hikaricp_connections_active", POOL), metrics.value("hikaricp_connections_idle", POOL),
            metrics.value("hikaricp_connections_pending", POOL), runs.byStatus(),
            metrics.value("agentstream_runs_total", "agent=\"assistant\",outcome=\"started\""));
    }

    /** Connections the store pool holds, in use or idle; NaN-safe (0 when the figure is missing). */
    double poolConnections() {
        double total = poolActive + poolIdle;
        return Double.isNaN(total) ? 0 : total;
    }

    long storedRuns() {
        return runsByStatus.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Runs stored as still going: RUNNING, or PENDING (waiting their turn in a session). */
    long runsGoing() {
        return runsByStatus.getOrDefault("RUNNING", 0L) + runsByStatus.getOrDefault("PENDING", 0L);
    }
}
