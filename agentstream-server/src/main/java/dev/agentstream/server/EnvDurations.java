package dev.agentstream.server;

import dev.agentstream.server.http.JsonFields;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations in environment variables, written as people write them: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}. */
final class EnvDurations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private EnvDurations() {
    }

    /**
     * The variable's duration, or {@code fallback} when it is not set.
     *
     * @throws IllegalArgumentException naming the variable, when it is not a duration between min and max
     */
    static Duration read(Map<String, String> env, String name, Duration fallback, Duration min, Duration max) {
        String value = ServerConfig.blankToNull(env.get(name));
        if (value == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(value.strip());
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            Duration parsed = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
            if (parsed.compareTo(min) >= 0 && parsed.compareTo(max) <= 0) {
                return parsed;
            }
        }
        throw new IllegalArgumentException(name + ": " + JsonFields.printable(value) + " (expected: a duration such as 500ms,"
            + " 2s or 1m, from " + text(min) + " to " + text(max) + ")");
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : d.toSeconds() % 60 != 0 ? d.toSeconds() + "s"
            : d.toMinutes() + "m";
    }
}
