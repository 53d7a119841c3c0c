package dev.agentstream.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

/**
 * How this node takes part in a group of nodes, from environment variables. Without
 * {@code AGENTSTREAM_REDIS} a node works alone, exactly as a single server. Immutable.
 *
 * <table>
 * <caption>Variables</caption>
 * <tr><td>{@code AGENTSTREAM_REDIS}</td><td>{@code redis://host:port}: cancels and heartbeats cross nodes through it; default none</td></tr>
 * <tr><td>{@code AGENTSTREAM_NODE_ID}</td><td>this node's name in the runs it owns; default {@code <host name>-<port>}, stable across restarts</td></tr>
 * <tr><td>{@code AGENTSTREAM_NODE_TTL_MS}</td><td>how long a node counts as alive after its last heartbeat; default 5000</td></tr>
 * <tr><td>{@code AGENTSTREAM_EVENTS_RETENTION}</td><td>how long a run's Redis event stream stays after its last event; default {@code 10m}</td></tr>
 * </table>
 *
 * @param redisUrl null when the node works alone
 */
public record ClusterConfig(String redisUrl, String nodeId, Duration nodeTtl, Duration eventsRetention) {

    /** How long a run's event stream stays in Redis after its last event, unless configured. */
    public static final Duration DEFAULT_EVENTS_RETENTION = Duration.ofMinutes(10);

    /**
     * Reads the variables; {@code port} is the configured HTTP port, part of the default node id.
     *
     * @throws IllegalArgumentException naming the first variable with a wrong value
     */
    public static ClusterConfig fromEnv(Map<String, String> env, int port) {
        String redis = ServerConfig.blankToNull(env.get("AGENTSTREAM_REDIS"));
        if (redis != null && !redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
            throw new IllegalArgumentException("AGENTSTREAM_REDIS: " + redis.replaceAll("//([^@/]*)@", "//***@")
                + " (expected: a redis:// or rediss:// URL)");
        }
        String nodeId = ServerConfig.blankToNull(env.get("AGENTSTREAM_NODE_ID"));
        if (nodeId == null) {
            nodeId = defaultNodeId(port);
        } else if (!nodeId.strip().matches("[A-Za-z0-9._:@-]{1,100}")) {
            throw new IllegalArgumentException("AGENTSTREAM_NODE_ID: " + nodeId
                + " (expected: 1 to 100 letters, digits or . _ : @ -)");
        }
        Duration ttl = Duration.ofMillis(ServerConfig.number(env, "AGENTSTREAM_NODE_TTL_MS", 5000, 500, 600_000));
        Duration retention = DurationSetting.read(env, "AGENTSTREAM_EVENTS_RETENTION", DEFAULT_EVENTS_RETENTION,
            Duration.ofSeconds(1), Duration.ofDays(7));
        return new ClusterConfig(redis == null ? null : redis.strip(), nodeId.strip(), ttl, retention);
    }

    /** True when Redis carries what crosses nodes. */
    public boolean redisEnabled() {
        return redisUrl != null;
    }

    /**
     * The host name and the port: the same after a restart (so the node recognises its orphans) and
     * different for two nodes on one host. With port 0 (any free port) the process id stands in.
     */
    static String defaultNodeId(int port) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + (port != 0 ? String.valueOf(port) : "pid" + ProcessHandle.current().pid());
    }

    @Override
    public String toString() {
        return "ClusterConfig[node=" + nodeId + ", redis=" + (redisUrl == null ? "off" : redisUrl.replaceAll("//([^@/]*)@", "//***@"))
            + ", nodeTtl=" + nodeTtl.toMillis() + "ms, eventsRetention=" + eventsRetention + "]";
    }
}
