package dev.agentstream.server;

import static java.util.Objects.requireNonNull;

import dev.agentstream.server.auth.ApiKeys;
import dev.agentstream.server.auth.JwtVerifier;
import dev.agentstream.server.auth.MetricsToken;
import dev.agentstream.server.http.Cors;
import dev.agentstream.server.http.HttpLimits;
import dev.agentstream.server.http.JsonFields;
import dev.agentstream.store.StorageOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The server's configuration from environment variables, checked at start with messages that
 * name the variable, its value (never a key's) and what was expected. Immutable.
 *
 * <table>
 * <caption>Variables</caption>
 * <tr><td>{@code AGENTSTREAM_HOST}</td><td>address to listen on; default {@code 127.0.0.1} (other addresses need API keys)</td></tr>
 * <tr><td>{@code AGENTSTREAM_PORT}</td><td>default {@code 7777}</td></tr>
 * <tr><td>{@code AGENTSTREAM_DB}</td><td>JDBC URL, SQLite or PostgreSQL; default {@code jdbc:sqlite:./agentstream.db}</td></tr>
 * <tr><td>{@code AGENTSTREAM_MODEL}</td><td>{@code demo} (default) or {@code openai:<model>}</td></tr>
 * <tr><td>{@code AGENTSTREAM_DEMO_DELAY_MS}</td><td>delay per word of the demo model; default 30</td></tr>
 * <tr><td>{@code AGENTSTREAM_API_KEYS}</td><td>{@code user:key,user:key}; default none</td></tr>
 * <tr><td>{@code AGENTSTREAM_JWT_SECRET}</td><td>accept HS256 JWTs signed with this secret (at least 32 bytes); default none</td></tr>
 * <tr><td>{@code AGENTSTREAM_JWT_PUBLIC_KEY}</td><td>accept RS256 JWTs checked with the public key(s) in this PEM or JWKS file;
 *     default none</td></tr>
 * <tr><td>{@code AGENTSTREAM_JWT_ISSUER}, {@code AGENTSTREAM_JWT_AUDIENCE}</td><td>the {@code iss} and {@code aud} a JWT must
 *     carry; default any</td></tr>
 * <tr><td>{@code AGENTSTREAM_METRICS_TOKEN}</td><td>bearer token {@code GET /metrics} requires (at least 16
 *     characters); default none: open, as for a scrape on a private port</td></tr>
 * <tr><td>{@code AGENTSTREAM_CORS_ORIGINS}</td><td>browser origins allowed to call the server, comma-separated, or
 *     {@code *}; default {@code http://localhost:3000,http://127.0.0.1:3000}</td></tr>
 * <tr><td>{@code AGENTSTREAM_FLUSH_MS}</td><td>how often streamed content is written to the store; default 200</td></tr>
 * <tr><td>{@code AGENTSTREAM_MAX_ACTIVE_RUNS}</td><td>runs this node has going at once; default 1000 (past it: 503)</td></tr>
 * <tr><td>{@code AGENTSTREAM_MAX_RUNS_PER_USER}</td><td>runs one user has going at once on this node; default 20 (past it: 429)</td></tr>
 * <tr><td>{@code AGENTSTREAM_PERSIST_GRACE}</td><td>how long storage writes may fail before new runs get 503 and
 *     running runs end with {@code RunError}; default {@code 30s}</td></tr>
 * <tr><td>{@code AGENTSTREAM_DB_SOCKET_TIMEOUT}</td><td>PostgreSQL: how long the database may send nothing while a
 *     statement or a login waits before the connection is given up and the write retried; default {@code 30s}</td></tr>
 * <tr><td>{@code AGENTSTREAM_SSE_WRITE_TIMEOUT}</td><td>how long a write to an SSE client may take before the client
 *     is dropped; default {@code 30s}</td></tr>
 * <tr><td>{@code AGENTSTREAM_SHUTDOWN_GRACE}</td><td>on SIGTERM, how long running runs get to finish before they are
 *     stopped; default {@code 20s}</td></tr>
 * <tr><td>{@code AGENTSTREAM_MAX_BODY_BYTES}, {@code AGENTSTREAM_MAX_HEADER_BYTES}</td><td>largest request body (default
 *     1048576; past it: 413) and request line plus headers (default 8192; past it: 431, or 414)</td></tr>
 * <tr><td>{@code AGENTSTREAM_IDLE_TIMEOUT}, {@code AGENTSTREAM_READ_TIMEOUT}</td><td>silence after which a connection is
 *     closed (default {@code 30s}), and the time a request may take to arrive once begun (default {@code 10s})</td></tr>
 * <tr><td>{@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}</td><td>for {@code openai:} models</td></tr>
 * <tr><td>{@code AGENTSTREAM_UPSTREAM_RETRIES}</td><td>retries of a model call answered 429/5xx before any output; default 2</td></tr>
 * <tr><td>{@code AGENTSTREAM_UPSTREAM_CONNECT_TIMEOUT}</td><td>how long connecting to an {@code openai:} model may take; default 10s</td></tr>
 * <tr><td>{@code AGENTSTREAM_UPSTREAM_IDLE_TIMEOUT}</td><td>how long the model may send nothing before the run ends
 *     "upstream stalled"; default 60s</td></tr>
 * <tr><td>{@code AGENTSTREAM_TOOL_TIMEOUT}</td><td>how long a tool call may run before it is interrupted; default 60s</td></tr>
 * </table>
 *
 * @param jwt null when JWT bearer tokens are not accepted
 * @param metricsToken what {@code /metrics} asks of its caller
 * @param corsOrigins the browser origins allowed to call the server
 * @param maxActiveRuns runs this node has going at once
 * @param maxRunsPerUser runs one user has going at once on this node
 * @param persistGrace how long storage writes may fail before runs are refused and ended
 * @param dbSocketTimeout how long a PostgreSQL server may stay silent before its connection is given up
 * @param sseWriteTimeout how long one write to an SSE client may take
 * @param shutdownGrace how long running runs get to finish when the process is asked to stop
 * @param openAiApiKey null when not set
 * @param openAiBaseUrl null for OpenAI itself
 * @param upstream how runs meet a misbehaving model or tool
 */
public record ServerConfig(String host, int port, String jdbcUrl, String model, Duration demoDelay, ApiKeys apiKeys,
                           JwtVerifier jwt, MetricsToken metricsToken, Duration flushInterval, List<String> corsOrigins, int maxActiveRuns,
                           int maxRunsPerUser, HttpLimits httpLimits, Duration persistGrace, Duration dbSocketTimeout,
                           Duration sseWriteTimeout,
                           Duration shutdownGrace, String openAiApiKey, String openAiBaseUrl, UpstreamSettings upstream) {

    public static final String DEFAULT_DB = "jdbc:sqlite:./agentstream.db";
    static final String METRICS_TOKEN = "AGENTSTREAM_METRICS_TOKEN";

    public ServerConfig {
        requireNonNull(host, "host");
        requireNonNull(jdbcUrl, "jdbcUrl");
        requireNonNull(model, "model");
        requireNonNull(demoDelay, "demoDelay");
        requireNonNull(apiKeys, "apiKeys");
        requireNonNull(metricsToken, "metricsToken");
        requireNonNull(flushInterval, "flushInterval");
        requireNonNull(persistGrace, "persistGrace");
        requireNonNull(dbSocketTimeout, "dbSocketTimeout");
        requireNonNull(sseWriteTimeout, "sseWriteTimeout");
        requireNonNull(shutdownGrace, "shutdownGrace");
        requireNonNull(upstream, "upstream");
        requireNonNull(httpLimits, "httpLimits");
        corsOrigins = List.copyOf(corsOrigins);
    }

    /**
     * Reads the configuration from {@code env} (normally {@link System#getenv()}).
     *
     * @throws IllegalArgumentException naming the first variable with a wrong value
     */
    public static ServerConfig fromEnv(Map<String, String> env) {
        String host = text(env, "AGENTSTREAM_HOST", AgentstreamServer.LOOPBACK);
        int port = (int) number(env, "AGENTSTREAM_PORT", 7777, 0, 65535);
        String jdbcUrl = text(env, "AGENTSTREAM_DB", DEFAULT_DB);
        if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("AGENTSTREAM_DB: " + Secrets.maskJdbcUrl(jdbcUrl)
                + " (expected: a jdbc:sqlite: or jdbc:postgresql: URL)");
        }
        String model = text(env, "AGENTSTREAM_MODEL", "demo");
        Duration demoDelay = Duration.ofMillis(number(env, "AGENTSTREAM_DEMO_DELAY_MS", 30, 0, 10_000));
        String keys = env.get("AGENTSTREAM_API_KEYS");
        ApiKeys apiKeys = keys == null || keys.isBlank() ? ApiKeys.none() : ApiKeys.parse(keys);
        JwtVerifier jwt = JwtConfig.fromEnv(env);
        MetricsToken metricsToken = metricsToken(env.get(METRICS_TOKEN));
        Duration flush = Duration.ofMillis(number(env, "AGENTSTREAM_FLUSH_MS", 200, 10, 60_000));
        List<String> corsOrigins = corsOrigins(env.get("AGENTSTREAM_CORS_ORIGINS"));
        int maxActiveRuns = (int) number(env, "AGENTSTREAM_MAX_ACTIVE_RUNS", AgentstreamServer.DEFAULT_MAX_ACTIVE_RUNS,
            1, 1_000_000);
        int maxRunsPerUser = (int) number(env, "AGENTSTREAM_MAX_RUNS_PER_USER", AgentstreamServer.DEFAULT_MAX_RUNS_PER_USER,
            1, 1_000_000);
        Duration persistGrace = DurationSetting.read(env, "AGENTSTREAM_PERSIST_GRACE", Duration.ofSeconds(30),
            Duration.ofMillis(100), Duration.ofHours(24));
        Duration dbSocketTimeout = DurationSetting.read(env, "AGENTSTREAM_DB_SOCKET_TIMEOUT",
            StorageOptions.DEFAULT_SOCKET_TIMEOUT, Duration.ofSeconds(1), Duration.ofHours(1));
        Duration sseWriteTimeout = DurationSetting.read(env, "AGENTSTREAM_SSE_WRITE_TIMEOUT", Duration.ofSeconds(30),
            Duration.ofMillis(100), Duration.ofHours(1));
        Duration shutdownGrace = DurationSetting.read(env, "AGENTSTREAM_SHUTDOWN_GRACE", Duration.ofSeconds(20),
            Duration.ZERO, Duration.ofHours(1));
        HttpLimits httpLimits = httpLimits(env);
        String openAiKey = blankToNull(env.get("OPENAI_API_KEY"));
        String openAiBaseUrl = blankToNull(env.get("OPENAI_BASE_URL"));
        if (!apiKeys.enabled() && jwt == null && !AgentstreamServer.Builder.isLoopback(host)) {
            throw new IllegalArgumentException("AGENTSTREAM_HOST: " + host + " (expected: a loopback address, unless"
                + " AGENTSTREAM_API_KEYS, " + JwtConfig.SECRET + " or " + JwtConfig.PUBLIC_KEY + " is set)");
        }
        return new ServerConfig(host, port, jdbcUrl, model, demoDelay, apiKeys, jwt, metricsToken, flush, corsOrigins, maxActiveRuns,
            maxRunsPerUser, httpLimits, persistGrace, dbSocketTimeout, sseWriteTimeout, shutdownGrace, openAiKey, openAiBaseUrl,
            UpstreamSettings.fromEnv(env));
    }

    private static HttpLimits httpLimits(Map<String, String> env) {
        HttpLimits d = HttpLimits.DEFAULT;
        long body = number(env, "AGENTSTREAM_MAX_BODY_BYTES", d.maxBodyBytes(), 1024, 1L << 30);
        int header = (int) number(env, "AGENTSTREAM_MAX_HEADER_BYTES", d.maxHeaderBytes(), 1024, 1 << 20);
        Duration idle = DurationSetting.read(env, "AGENTSTREAM_IDLE_TIMEOUT", d.idleTimeout(), Duration.ofSeconds(16),
            Duration.ofHours(1));
        Duration read = DurationSetting.read(env, "AGENTSTREAM_READ_TIMEOUT", d.readTimeout(), Duration.ofMillis(100),
            Duration.ofMinutes(10));
        return new HttpLimits(body, header, idle, read);
    }

    private static MetricsToken metricsToken(String value) {
        if (blankToNull(value) == null) {
            return MetricsToken.open();
        }
        try {
            return MetricsToken.of(value);
        } catch (IllegalArgumentException e) {
            // The message gives the length, never the token.
            throw new IllegalArgumentException(METRICS_TOKEN + ": " + e.getMessage());
        }
    }

    private static List<String> corsOrigins(String value) {
        if (value == null) {
            return Cors.DEFAULT_ORIGINS;
        }
        try {
            return Cors.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AGENTSTREAM_CORS_ORIGINS: " + e.getMessage());
        }
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        String value = blankToNull(env.get(name));
        return value == null ? fallback : value.strip();
    }

    /** A whole number between {@code min} and {@code max}, or the fallback when unset; the message names the variable. */
    public static long number(Map<String, String> env, String name, long fallback, long min, long max) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Falls through to the message below.
        }
        throw new IllegalArgumentException(name + ": " + JsonFields.printable(value) + " (expected: " + min + " to " + max + ")");
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The configuration without secrets (no key, JWT secret or OpenAI key), for the start log. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", db=" + Secrets.maskJdbcUrl(jdbcUrl) + ", model=" + model
            + ", demoDelay=" + demoDelay.toMillis() + "ms, apiKeys=" + apiKeys.size() + ", jwt=" + (jwt == null ? "off" : jwt)
            + ", metrics=" + metricsToken
            + ", flush=" + flushInterval.toMillis() + "ms, corsOrigins=" + corsOrigins + ", maxActiveRuns=" + maxActiveRuns
            + ", maxRunsPerUser=" + maxRunsPerUser + ", " + httpLimits + ", persistGrace="
            + DurationSetting.text(persistGrace) + ", dbSocketTimeout=" + DurationSetting.text(dbSocketTimeout)
            + ", sseWriteTimeout=" + DurationSetting.text(sseWriteTimeout)
            + ", shutdownGrace=" + DurationSetting.text(shutdownGrace) + ", " + upstream
            + (openAiBaseUrl != null ? ", openAiBaseUrl=" + Secrets.maskJdbcUrl(openAiBaseUrl) : "") + "]";
    }
}
