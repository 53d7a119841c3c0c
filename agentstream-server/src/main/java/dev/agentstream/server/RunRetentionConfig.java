package dev.agentstream.server;

import dev.agentstream.server.http.JsonFields;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code AGENTSTREAM_RUN_RETENTION}: how long an ended run stays in this node's memory (its handle,
 * answer and tools, for lookups, stops and reconnects by id) before only the store has it. Each
 * ended run holds a few KiB until then, so the memory this takes is the run rate times the window.
 * Written {@code 30s}, {@code 10m}, {@code 1h}; default 10 minutes.
 */
final class RunRetentionConfig {

    static final String VARIABLE = "AGENTSTREAM_RUN_RETENTION";
    static final Duration DEFAULT = Duration.ofMinutes(10);
    private static final Duration MIN = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofHours(24);
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private RunRetentionConfig() {
    }

    /**
     * The retention {@code env} asks for.
     *
     * @throws IllegalArgumentException naming the variable when its value is not a duration from 1s to 24h
     */
    static Duration fromEnv(Map<String, String> env) {
        String value = ServerConfig.blankToNull(env.get(VARIABLE));
        if (value == null) {
            return DEFAULT;
        }
        Matcher m = FORM.matcher(value.strip());
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            Duration parsed = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
            if (parsed.compareTo(MIN) >= 0 && parsed.compareTo(MAX) <= 0) {
                return parsed;
            }
        }
        throw new IllegalArgumentException(VARIABLE + ": " + JsonFields.printable(value)
            + " (expected: a duration from 1s to 24h, such as 30s, 10m or 1h)");
    }
}
