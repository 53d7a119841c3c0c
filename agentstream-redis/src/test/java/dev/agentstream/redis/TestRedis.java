package dev.agentstream.redis;

import org.junit.jupiter.api.Assumptions;

/**
 * The Redis the tests use: {@code redis://127.0.0.1:6379} (override with the system property
 * {@code agentstream.test.redis}). When it cannot be reached a test is skipped, except in CI
 * ({@code CI=true}), where it fails.
 */
public final class TestRedis {

    public static final String URL = System.getProperty("agentstream.test.redis", "redis://127.0.0.1:6379");

    private TestRedis() {
    }

    /** A new link to the test Redis; skips (or, in CI, fails) the test when Redis is not there. */
    public static RedisLink connect() {
        try {
            return RedisLink.connect(URL);
        } catch (RuntimeException e) {
            String message = "Redis at " + URL + " is not reachable (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message + "; in CI the Redis tests must run", e);
            }
            Assumptions.abort(message + "; skipping (set CI=true to make this a failure)");
            throw e;
        }
    }

    /** Closes each of {@code parts} that is there, in order, whatever the others do. */
    public static void closeAll(AutoCloseable... parts) {
        for (AutoCloseable c : parts) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // Closing what is left.
            }
        }
    }
}
