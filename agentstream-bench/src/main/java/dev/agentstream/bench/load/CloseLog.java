package dev.agentstream.bench.load;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** When the fake upstream saw a client close a stream before its end, per stream id. Bounded. */
final class CloseLog {

    private static final int MAX_ENTRIES = 1_000_000;

    private final Map<Long, Long> closedAtMicros = new ConcurrentHashMap<>();

    void closed(long streamId, long atMicros) {
        if (closedAtMicros.size() < MAX_ENTRIES) {
            closedAtMicros.putIfAbsent(streamId, atMicros);
        }
    }

    /** {@code "<id> <micros>\n"} for every recorded id in {@code [from, to)}. */
    String between(long from, long to) {
        StringBuilder out = new StringBuilder();
        closedAtMicros.forEach((id, at) -> {
            if (id >= from && id < to) {
                out.append(id).append(' ').append(at).append('\n');
            }
        });
        return out.toString();
    }
}
