package dev.agentstream.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Asks the fake upstream when it saw clients close streams early ({@code GET /bench/closes}). */
final class UpstreamCloses {

    private final URI upstream;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    UpstreamCloses(URI upstream) {
        this.upstream = upstream;
    }

    /**
     * Close times (epoch µs) per stream id in {@code [from, to)}; polls until every id in
     * {@code wanted} is there or {@code patience} has passed.
     */
    Map<Long, Long> await(long from, long to, Set<Long> wanted, Duration patience) throws InterruptedException {
        long giveUp = System.nanoTime() + patience.toNanos();
        Map<Long, Long> closes = fetch(from, to);
        while (!closes.keySet().containsAll(wanted) && System.nanoTime() < giveUp) {
            Thread.sleep(100);
            closes = fetch(from, to);
        }
        return closes;
    }

    private Map<Long, Long> fetch(long from, long to) throws InterruptedException {
        Map<Long, Long> closes = new HashMap<>();
        try {
            HttpRequest request = HttpRequest.newBuilder(upstream.resolve("/bench/closes?from=" + from + "&to=" + to))
                .timeout(Duration.ofSeconds(5)).build();
            for (String line : http.send(request, HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2) {
                    closes.put(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                }
            }
        } catch (java.io.IOException e) {
            System.err.println("upstream closes: " + e);
        }
        return closes;
    }
}
