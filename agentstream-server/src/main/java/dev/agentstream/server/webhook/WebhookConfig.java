package dev.agentstream.server.webhook;

import static java.util.Objects.requireNonNull;

import dev.agentstream.server.DurationSetting;
import dev.agentstream.server.ServerConfig;
import java.time.Duration;
import java.util.Map;

/**
 * How webhooks of background runs are signed and delivered. Without a secret, webhooks are off and
 * a start that names one is refused (400 {@code webhooks_disabled}): an unsigned delivery could not
 * be told from a forged one. Immutable.
 *
 * @param secret the HMAC-SHA256 key, or null when webhooks are off; never logged
 * @param maxAttempts attempts before a delivery is given up ({@code failed})
 * @param backoff the wait after the first failed attempt, doubled after each further one
 * @param maxBackoff the longest wait between attempts
 * @param claimLease how long a node's claim on a delivery holds; past it another node takes it over
 * @param poll how often a node looks for due deliveries
 * @param timeout connect plus answer time of one attempt
 * @param concurrency attempts in flight at once on a node
 */
public record WebhookConfig(String secret, int maxAttempts, Duration backoff, Duration maxBackoff, Duration claimLease,
                            Duration poll, Duration timeout, int concurrency) {

    public static final String SECRET = "AGENTSTREAM_WEBHOOK_SECRET";

    public WebhookConfig {
        requireNonNull(backoff, "backoff");
        requireNonNull(maxBackoff, "maxBackoff");
        requireNonNull(claimLease, "claimLease");
        requireNonNull(poll, "poll");
        requireNonNull(timeout, "timeout");
        if (maxAttempts < 1 || concurrency < 1) {
            throw new IllegalArgumentException("maxAttempts and concurrency must be at least 1");
        }
        if (claimLease.compareTo(timeout) <= 0) {
            // A claim that ends before its attempt can would let a second node post the same delivery.
            throw new IllegalArgumentException("claimLease " + claimLease + " must exceed the timeout " + timeout);
        }
    }

    /** Webhooks off: starts naming one are refused. */
    public static WebhookConfig off() {
        return defaults(null);
    }

    /** The defaults with this secret (null for off). */
    public static WebhookConfig defaults(String secret) {
        return new WebhookConfig(secret, 8, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(30),
            Duration.ofMillis(500), Duration.ofSeconds(10), 16);
    }

    public boolean enabled() {
        return secret != null;
    }

    /** The same with other retry timings (tests use short ones). */
    public WebhookConfig withRetries(int attempts, Duration firstBackoff, Duration longestBackoff) {
        return new WebhookConfig(secret, attempts, firstBackoff, longestBackoff, claimLease, poll, timeout, concurrency);
    }

    /** The same with another claim lease and attempt timeout. */
    public WebhookConfig withClaim(Duration lease, Duration attemptTimeout) {
        return new WebhookConfig(secret, maxAttempts, backoff, maxBackoff, lease, poll, attemptTimeout, concurrency);
    }

    /** The wait before the attempt after {@code attemptsMade} failed ones: backoff doubled, capped. */
    public Duration backoffAfter(int attemptsMade) {
        int doublings = Math.min(Math.max(attemptsMade - 1, 0), 30);
        Duration wait = backoff.multipliedBy(1L << doublings);
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    /**
     * Reads {@code AGENTSTREAM_WEBHOOK_SECRET} (at least 32 bytes), {@code _MAX_ATTEMPTS}, {@code _BACKOFF},
     * {@code _BACKOFF_MAX}, {@code _LEASE} and {@code _TIMEOUT}.
     *
     * @throws IllegalArgumentException naming the first variable with a wrong value (never the secret's value)
     */
    public static WebhookConfig fromEnv(Map<String, String> env) {
        String secret = env.get(SECRET);
        if (secret != null && secret.isBlank()) {
            secret = null;
        }
        if (secret != null && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException(SECRET + ": too short (expected: at least 32 bytes)");
        }
        WebhookConfig d = defaults(secret);
        int attempts = (int) ServerConfig.number(env, "AGENTSTREAM_WEBHOOK_MAX_ATTEMPTS", d.maxAttempts, 1, 100);
        Duration lease = duration(env, "AGENTSTREAM_WEBHOOK_LEASE", d.claimLease);
        Duration timeout = duration(env, "AGENTSTREAM_WEBHOOK_TIMEOUT", d.timeout);
        if (lease.compareTo(timeout) <= 0) {
            throw new IllegalArgumentException("AGENTSTREAM_WEBHOOK_LEASE: " + lease.toMillis() + "ms (expected: longer"
                + " than AGENTSTREAM_WEBHOOK_TIMEOUT, " + timeout.toMillis() + "ms)");
        }
        return new WebhookConfig(secret, attempts,
            duration(env, "AGENTSTREAM_WEBHOOK_BACKOFF", d.backoff),
            duration(env, "AGENTSTREAM_WEBHOOK_BACKOFF_MAX", d.maxBackoff),
            lease, d.poll, timeout, d.concurrency);
    }

    /** A duration written {@code 500ms}, {@code 2s} or {@code 1m}, from 1 ms to a day. */
    static Duration duration(Map<String, String> env, String name, Duration fallback) {
        return DurationSetting.read(env, name, fallback, Duration.ofMillis(1), Duration.ofDays(1));
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "WebhookConfig[" + (enabled() ? "on" : "off") + ", maxAttempts=" + maxAttempts + ", backoff=" + backoff
            + ", maxBackoff=" + maxBackoff + ", claimLease=" + claimLease + ", timeout=" + timeout + "]";
    }
}
