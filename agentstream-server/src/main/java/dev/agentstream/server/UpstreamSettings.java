package dev.agentstream.server;

import java.time.Duration;
import java.util.Map;

/**
 * How the server's runs meet a misbehaving model or tool, from the environment. Immutable.
 *
 * @param retries how often a model call answered 429/500/502/503/504 before any output is retried
 * @param connectTimeout how long connecting to an {@code openai:} model may take
 * @param idleTimeout how long the model may send nothing before the run ends "upstream stalled"
 * @param toolTimeout how long a tool call may run before it is interrupted
 */
public record UpstreamSettings(int retries, Duration connectTimeout, Duration idleTimeout, Duration toolTimeout) {

    public static final UpstreamSettings DEFAULTS = new UpstreamSettings(2, Duration.ofSeconds(10), Duration.ofSeconds(60),
        Duration.ofSeconds(60));

    private static final Duration SHORTEST = Duration.ofMillis(100);
    private static final Duration LONGEST = Duration.ofHours(24);

    static UpstreamSettings fromEnv(Map<String, String> env) {
        return new UpstreamSettings(
            (int) ServerConfig.number(env, "AGENTSTREAM_UPSTREAM_RETRIES", DEFAULTS.retries, 0, 10),
            DurationSetting.read(env, "AGENTSTREAM_UPSTREAM_CONNECT_TIMEOUT", DEFAULTS.connectTimeout, SHORTEST, LONGEST),
            DurationSetting.read(env, "AGENTSTREAM_UPSTREAM_IDLE_TIMEOUT", DEFAULTS.idleTimeout, SHORTEST, LONGEST),
            DurationSetting.read(env, "AGENTSTREAM_TOOL_TIMEOUT", DEFAULTS.toolTimeout, SHORTEST, LONGEST));
    }

    @Override
    public String toString() {
        return "upstreamRetries=" + retries + ", upstreamConnectTimeout=" + DurationSetting.text(connectTimeout)
            + ", upstreamIdleTimeout=" + DurationSetting.text(idleTimeout) + ", toolTimeout=" + DurationSetting.text(toolTimeout);
    }
}
