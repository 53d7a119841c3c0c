package dev.agentstream.server;

import dev.agentstream.event.RunCancelled;
import dev.agentstream.server.cluster.Cluster;
import dev.agentstream.server.webhook.WebhookConfig;
import dev.agentstream.store.Storage;
import dev.agentstream.store.StorageOptions;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar agentstream.jar}: the server configured from environment variables (see
 * {@link ServerConfig}), serving the {@code assistant} agent and the {@code demo-team} team, until the
 * process is stopped.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        Running running;
        try {
            running = start(System.getenv());
        } catch (IllegalArgumentException e) {
            // A configuration mistake: say which variable, without a stack trace.
            System.err.println("agentstream: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("agentstream-shutdown").unstarted(running::close));
        running.server().awaitShutdown();
    }

    /**
     * Opens storage and starts the server as {@code env} says.
     *
     * @throws IllegalArgumentException naming a variable with a wrong value
     */
    static Running start(Map<String, String> env) {
        ServerConfig config = ServerConfig.fromEnv(env);
        Models.Named model = Models.fromConfig(config);
        ClusterConfig clusterConfig = ClusterConfig.fromEnv(env, config.port());
        Duration runRetention = RunRetentionConfig.fromEnv(env);
        WebhookConfig webhooks = WebhookConfig.fromEnv(env);
        LOG.info("starting with {} {} {}", config, clusterConfig, webhooks);
        Storage storage = Storage.open(StorageOptions.builder()
            .jdbcUrl(config.jdbcUrl())
            .flushInterval(config.flushInterval())
            // Within the persist grace the writer must notice a database that went away.
            .connectionTimeout(connectionTimeout(config.persistGrace()))
            .socketTimeout(config.dbSocketTimeout())
            .nodeId(clusterConfig.nodeId())
            .build());
        Cluster cluster = null;
        try {
            // Runs this node id owned before a crash or kill cannot go on: end them now, not at lease expiry.
            int orphans = storage.interruptRunsOf(clusterConfig.nodeId(), RunCancelled.REASON_NODE_LOST).size();
            if (orphans > 0) {
                LOG.warn("interrupted {} runs node {} left running before this start", orphans, clusterConfig.nodeId());
            }
            AgentstreamServer.Builder builder = AgentstreamServer.builder()
                .host(config.host())
                .port(config.port())
                .apiKeys(config.apiKeys())
                .metricsToken(config.metricsToken())
                .corsOrigins(config.corsOrigins())
                .maxActiveRuns(config.maxActiveRuns())
                .maxRunsPerUser(config.maxRunsPerUser())
                .persistGrace(config.persistGrace())
                .sseWriteTimeout(config.sseWriteTimeout())
                .shutdownGrace(config.shutdownGrace())
                .upstream(config.upstream())
                .httpLimits(config.httpLimits())
                .retention(runRetention)
                .agent(DemoAgent.assistant(model))
                .team(DemoAgent.team(model))
                .storage(storage)
                .webhooks(webhooks);
            if (config.jwt() != null) {
                builder.jwt(config.jwt());
            }
            if (clusterConfig.redisEnabled()) {
                cluster = Cluster.join(clusterConfig, storage);
                cluster.configure(builder);
            }
            return new Running(builder.start(), storage, cluster);
        } catch (RuntimeException e) {
            if (cluster != null) {
                cluster.close();
            }
            storage.close();
            throw e;
        }
    }

    /** Half the persist grace, from 250 ms (the pool's least) to the pool's usual 10 s. */
    static Duration connectionTimeout(Duration persistGrace) {
        return Duration.ofMillis(Math.clamp(persistGrace.toMillis() / 2, 250, 10_000));
    }

    /**
     * A started server, the storage it uses and its cluster part (null when alone); closing stops
     * the server, then the cluster part, then the storage.
     */
    record Running(AgentstreamServer server, Storage storage, Cluster cluster) implements AutoCloseable {
        @Override
        public void close() {
            try {
                server.close();
            } finally {
                try {
                    if (cluster != null) {
                        cluster.close();
                    }
                } finally {
                    storage.close();
                }
            }
        }
    }
}
