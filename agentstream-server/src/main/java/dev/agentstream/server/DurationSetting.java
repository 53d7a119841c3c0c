package dev.agentstream.server;

import dev.agentstream.server.http.JsonFields;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration in an environment variable, written as operators write them: {@code 500ms}, {@code 2s},
 * {@code 1m}, {@code 1h} (a whole number and a unit, no space). Every duration variable of the
 * server reads through here, so all take the same form and refuse a bad value the same way. Stateless.
 */
public final class DurationSetting {

    private static final Pattern TEXT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private DurationSetting() {
    }

    /**
     * The duration in {@code env}'s variable {@code name}, or {@code fallback} when it is unset.
     *
     * @throws IllegalArgumentException naming the variable when the value is not a duration from
     *     {@code min} to {@code max}
     */
    public static Duration read(Map<String, String> env, String name, Duration fallback, Duration min, Duration max) {
        String value = ServerConfig.blankToNull(env.get(name));
        if (value == null) {
            return fallback;
        }
        Matcher m = TEXT.matcher(value.strip());
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
        throw new IllegalArgumentException(name + ": " + JsonFields.printable(value) + " (expected: a duration from "
            + text(min) + " to " + text(max) + ", like 500ms, 2s or 1m)");
    }

    /** {@code d} as this class reads it back, in the largest unit that divides it. */
    static String text(Duration d) {
        long millis = d.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
