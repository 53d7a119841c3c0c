package dev.agentstream.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bench stream ids as the load generator writes them into a user's message
 * ({@code bench-stream-42}), and an optional token count ({@code bench-tokens-20}) for warm-ups.
 */
final class StreamIds {

    private static final Pattern STREAM = Pattern.compile("bench-stream-(\\d+)");
    private static final Pattern TOKENS = Pattern.compile("bench-tokens-(\\d+)");

    private StreamIds() {
    }

    static String label(long id) {
        return "bench-stream-" + id;
    }

    static String tokensLabel(int tokens) {
        return "bench-tokens-" + tokens;
    }

    /** The last stream id in a raw request body (a history could name earlier ones), or -1. */
    static long lastIn(byte[] body) {
        return last(STREAM, body, -1);
    }

    /** The token count a request asks for, or {@code fallback}. */
    static int tokensIn(byte[] body, int fallback) {
        return (int) last(TOKENS, body, fallback);
    }

    private static long last(Pattern pattern, byte[] body, long fallback) {
        Matcher m = pattern.matcher(new String(body, StandardCharsets.UTF_8));
        long found = fallback;
        while (m.find()) {
            found = Long.parseLong(m.group(1));
        }
        return found;
    }
}
