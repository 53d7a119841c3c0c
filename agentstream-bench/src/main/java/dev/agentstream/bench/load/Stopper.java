package dev.agentstream.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Stops a sample of open streams, one every {@code spacing} so stops do not pile up: agentstream's
 * by {@code POST /v1/runs/{run_id}/cancel}, the others by closing the client connection. Each stop
 * runs on its own virtual thread and every wait is bounded.
 */
final class Stopper {

    private static final Duration SPACING = Duration.ofMillis(20);

    private final TargetKind kind;
    private final Function<BenchStream, URI> base;
    private final HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .executor(Executors.newVirtualThreadPerTaskExecutor())
        .build();

    /** {@code base} gives the node a stream's cancel goes to. */
    Stopper(TargetKind kind, Function<BenchStream, URI> base) {
        this.kind = kind;
        this.base = base;
    }

    /** Stops {@code sample}, returning once every stop was sent (or gave up) and {@code settle} passed. */
    List<BenchStream> stop(List<BenchStream> sample, long deadlineNanos) throws InterruptedException {
        List<BenchStream> sent = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (BenchStream stream : sample) {
            if (System.nanoTime() > deadlineNanos || stream.finished()) {
                continue;
            }
            if (kind.stopsByCancelRoute()) {
                String runId = awaitRunId(stream, deadlineNanos);
                if (runId == null) {
                    continue;
                }
                threads.add(Thread.ofVirtual().start(() -> cancel(stream, runId)));
            } else {
                stream.disconnect();
            }
            sent.add(stream);
            Thread.sleep(SPACING);
        }
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(10));
        }
        return sent;
    }

    private static String awaitRunId(BenchStream stream, long deadlineNanos) throws InterruptedException {
        while (stream.runId() == null && !stream.finished() && System.nanoTime() < deadlineNanos) {
            Thread.sleep(5);
        }
        return stream.runId();
    }

    private void cancel(BenchStream stream, String runId) {
        HttpRequest request = HttpRequest.newBuilder(base.apply(stream).resolve("/v1/runs/" + runId + "/cancel"))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
        stream.markStopSent();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                System.err.println("cancel " + runId + ": HTTP " + response.statusCode() + " " + response.body());
            }
        } catch (Exception e) {
            System.err.println("cancel " + runId + ": " + e);
        }
    }
}
