package dev.agentstream.bench.load;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The figures of one load level, computed from its streams once they ended. */
final class LevelFigures {

    /**
     * Tokens of each stream left out of the "following" latency: while they are emitted a reader on
     * another node is still attaching (background start, then its own request), so they measure the
     * attach, not how the stream keeps up.
     */
    static final int ATTACH_TOKENS = 10;

    private final Map<String, String> values = new TreeMap<>();
    private final Map<String, Integer> problems = new TreeMap<>();
    private int incomplete;
    private long maxLateMicros = -1;

    private LevelFigures() {
    }

    /**
     * @param closes upstream close time (epoch µs) per stream id
     * @param measuredBeforeMicros only tokens emitted before this count for delivery latency
     * @param windowStartMicros the steady window, for tokens delivered while CPU was read
     */
    static LevelFigures of(List<BenchStream> streams, List<BenchStream> stopped, Map<Long, Long> closes,
                           long measuredBeforeMicros, long windowStartMicros, long windowEndMicros) {
        LevelFigures f = new LevelFigures();
        List<Long> latencies = new ArrayList<>();
        List<Long> following = new ArrayList<>();
        List<Long> ttfbs = new ArrayList<>();
        long delivered = 0;
        long inWindow = 0;
        int complete = 0;
        for (BenchStream s : streams) {
            for (int i = 0; i < s.receiveMicros.length; i++) {
                long received = s.receiveMicros[i];
                if (received == 0) {
                    continue;
                }
                delivered++;
                long late = received - s.emitMicros[i];
                f.maxLateMicros = Math.max(f.maxLateMicros, late);
                if (s.emitMicros[i] < measuredBeforeMicros) {
                    latencies.add(late);
                    if (i >= ATTACH_TOKENS) {
                        following.add(late);
                    }
                }
                if (received >= windowStartMicros && received < windowEndMicros) {
                    inWindow++;
                }
            }
            if (s.firstByteNanos > 0) {
                ttfbs.add((s.firstByteNanos - s.sentNanos) / 1_000);
            }
            if (s.stopped()) {
                continue;
            }
            if (s.complete()) {
                complete++;
            } else {
                f.incomplete++;
                f.problems.merge(s.problem().replaceAll("\\d+/", "n/"), 1, Integer::sum);
            }
        }
        f.put("complete", complete);
        f.put("incomplete", f.incomplete);
        f.put("stopped", stopped.size());
        f.put("tokens_delivered", delivered);
        f.put("tokens_in_window", inWindow);
        f.put("tokens_measured", latencies.size());
        Percentiles delivery = new Percentiles(toArray(latencies));
        f.millis("delivery_p50_ms", delivery.at(0.50));
        f.millis("delivery_p90_ms", delivery.at(0.90));
        f.millis("delivery_p99_ms", delivery.at(0.99));
        f.millis("delivery_max_ms", delivery.max());
        Percentiles followed = new Percentiles(toArray(following));
        f.millis("following_p50_ms", followed.at(0.50));
        f.millis("following_p99_ms", followed.at(0.99));
        f.millis("late_max_ms", f.maxLateMicros);
        Percentiles ttfb = new Percentiles(toArray(ttfbs));
        f.millis("ttfb_p50_ms", ttfb.at(0.50));
        f.millis("ttfb_p99_ms", ttfb.at(0.99));
        f.stops(stopped, closes);
        return f;
    }

    private void stops(List<BenchStream> stopped, Map<Long, Long> closes) {
        if (stopped.isEmpty()) {
            return;
        }
        List<Long> toEvent = new ArrayList<>();
        List<Long> toUpstream = new ArrayList<>();
        for (BenchStream s : stopped) {
            if (s.cancelledFrameNanos > 0) {
                toEvent.add((s.cancelledFrameNanos - s.stopSentNanos) / 1_000);
            }
            Long closed = closes.get(s.id);
            if (closed != null) {
                toUpstream.add(closed - s.stopSentMicros);
            }
        }
        put("stop_samples", stopped.size());
        put("stop_event_seen", toEvent.size());
        put("stop_upstream_seen", toUpstream.size());
        Percentiles event = new Percentiles(toArray(toEvent));
        Percentiles upstream = new Percentiles(toArray(toUpstream));
        if (event.count() > 0) {
            millis("stop_event_p50_ms", event.at(0.50));
            millis("stop_event_p99_ms", event.at(0.99));
        }
        if (upstream.count() > 0) {
            millis("stop_upstream_p50_ms", upstream.at(0.50));
            millis("stop_upstream_p99_ms", upstream.at(0.99));
        }
    }

    int incomplete() {
        return incomplete;
    }

    /** The latest any token arrived after its emit time, in whole ms; -1 when none arrived. */
    long maxLateMs() {
        return maxLateMicros < 0 ? -1 : Math.round(maxLateMicros / 1_000.0);
    }

    void into(Map<String, String> result) {
        result.putAll(values);
    }

    void printProblems(PrintStream out) {
        problems.forEach((problem, n) -> out.println("incomplete: " + n + " x " + problem));
    }

    private void put(String key, long value) {
        values.put(key, Long.toString(value));
    }

    private void millis(String key, long micros) {
        values.put(key, micros < 0 ? "-1" : String.format(Locale.ROOT, "%.1f", micros / 1_000.0));
    }

    private static long[] toArray(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
