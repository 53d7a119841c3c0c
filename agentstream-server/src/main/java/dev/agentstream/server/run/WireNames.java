package dev.agentstream.server.run;

import java.util.Locale;
import java.util.Optional;

/** The lower-case wire names of the API's enums ({@code "cancel"}, {@code "enqueue"}). */
final class WireNames {

    private WireNames() {
    }

    static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> Optional<E> parse(Class<E> type, String wire) {
        for (E value : type.getEnumConstants()) {
            if (of(value).equals(wire)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
