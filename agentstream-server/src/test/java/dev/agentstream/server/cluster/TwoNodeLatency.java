package dev.agentstream.server.cluster;

import dev.agentstream.server.testing.NodeProcess;
import dev.agentstream.server.testing.SharedServices;
import dev.agentstream.server.testing.SseStream;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ScriptedOpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Latency across two real server processes sharing PostgreSQL and Redis (not a test; Surefire does
 * not run it): a cancel posted to node B until node A's reader gets {@code RunCancelled}, and a
 * reader resuming on B with {@code Last-Event-ID} until its first replayed event, for runs
 * executing on A. Arguments: measured rounds (default 200), warm-up rounds (default 20).
 */
public final class TwoNodeLatency {

    private TwoNodeLatency() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        try (SharedServices services = SharedServices.require();
             ScriptedOpenAiServer upstream = ScriptedOpenAiServer.start()) {
            upstream.setDefault(Script.text(TwoNodesTest.words(3000)).chunkDelay(Duration.ofMillis(10)));
            TwoNodesTest.services = services;
            TwoNodesTest.upstream = upstream;
            try (NodeProcess a = NodeProcess.start("bench-a", TwoNodesTest.env("bench-a"));
                 NodeProcess b = NodeProcess.start("bench-b", TwoNodesTest.env("bench-b"))) {
                List<Long> cancel = new ArrayList<>();
                List<Long> resume = new ArrayList<>();
                for (int i = 0; i < warmup + rounds; i++) {
                    long[] round = round(a, b);
                    if (i >= warmup) {
                        cancel.add(round[0]);
                        resume.add(round[1]);
                    }
                }
                print("cross-node cancel: POST /cancel on B -> RunCancelled on A's stream", cancel);
                print("resume on B with Last-Event-ID -> first replayed event", resume);
            }
        }
    }

    /** One run on A: resume a reader on B, then cancel through B. Returns {cancel, resume} in nanoseconds. */
    private static long[] round(NodeProcess a, NodeProcess b) {
        try (SseStream onA = a.stream("POST", "/v1/agents/assistant/runs", "{\"message\":\"go\"}")) {
            List<SseStream.Frame> head = onA.until("RunContent");
            String runId = head.getFirst().json().get("run_id").asText();
            long seen = head.getLast().seq();
            long resumeStart = System.nanoTime();
            long resumed;
            try (SseStream onB = b.stream("GET", "/v1/runs/" + runId + "/events", null, "Last-Event-ID", String.valueOf(seen))) {
                SseStream.Frame first = onB.next();
                resumed = System.nanoTime() - resumeStart;
                if (first == null || first.seq() != seen + 1) {
                    throw new IllegalStateException("resume on B gave " + first + " (expected: seq " + (seen + 1) + ")");
                }
            }
            long cancelStart = System.nanoTime();
            b.post("/v1/runs/" + runId + "/cancel", "");
            onA.until("RunCancelled");
            return new long[] {System.nanoTime() - cancelStart, resumed};
        }
    }

    private static void print(String what, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf("%s (n=%d): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", what, sorted.size(),
            ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), sorted.getLast() / 1e6);
    }

    private static double ms(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }
}
