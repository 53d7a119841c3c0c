package dev.agentstream.server;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A duration from an environment variable, written as a number and a unit: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}. */
final class EnvDuration {

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private EnvDuration() {
    }

    /**
     * The variable's value, {@code fallback} when unset or blank.
     *
     * @throws IllegalArgumentException naming the variable if the value is not a duration within [min, max]
     */
    static Duration read(Map<String, String> env, String name, Duration fallback, Duration min, Duration max) {
        String value = ServerConfig.blankToNull(env.get(name));
        if (value == null) {
            return fallback;
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
            if (parsed.compareTo(min) >= 0 && parsed.compareTo(max) <= 0) {
                return parsed;
            }
        }
        throw new IllegalArgumentException(name + ": " + dev.agentstream.server.http.JsonFields.printable(value) + " (expected: a duration such as 500ms, 2s, 1m or 1h, from "
            + text(min) + " to " + text(max) + ")");
    }

    private static String text(Duration d) {
        return d.toMillis() % 60_000 == 0 ? d.toMinutes() + "m" : d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
