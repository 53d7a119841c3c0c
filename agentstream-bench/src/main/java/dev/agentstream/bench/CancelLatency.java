package dev.agentstream.bench;

import dev.agentstream.Agent;
import dev.agentstream.AgentRuntime;
import dev.agentstream.RunHandle;
import dev.agentstream.RunRequest;
import dev.agentstream.testkit.RecordedRequest;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ScriptedOpenAiServer;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How fast a stop takes effect: from {@code AgentRuntime.cancel} to (a) {@code RunCancelled} in the
 * run's log and (b) the upstream model connection closed, as the scripted OpenAI-protocol server sees
 * it. Runs through LangChain4j's real OpenAI client over loopback.
 *
 * <p>Usage: {@code CancelLatency [stops]} (default 1,000). Prints p50/p90/p99/max in milliseconds.
 */
public final class CancelLatency {

    public static void main(String[] args) throws Exception {
        int stops = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        String[] words = new String[2_000];
        Arrays.fill(words, "word ");
        Script endless = Script.text(words).chunkDelay(Duration.ofMillis(10));
        long[] toEvent = new long[stops];
        long[] toUpstreamClosed = new long[stops];
        try (ScriptedOpenAiServer upstream = ScriptedOpenAiServer.start();
             AgentRuntime runtime = AgentRuntime.builder().retention(Duration.ofSeconds(5)).build()) {
            upstream.setDefault(endless);
            Agent agent = Agent.builder().id("bench").model(OpenAiStreamingChatModel.builder()
                .baseUrl(upstream.baseUrl()).apiKey("bench").modelName("bench").build()).build();
            for (int i = -50; i < stops; i++) {
                RunHandle run = runtime.start(agent, RunRequest.of("go"));
                while (run.log().lastSeq() < 3) {
                    Thread.onSpinWait();
                }
                long start = System.nanoTime();
                run.cancel("cancelled");
                while (!run.log().isClosed()) {
                    Thread.onSpinWait();
                }
                long eventNanos = System.nanoTime() - start;
                List<RecordedRequest> requests = upstream.requests();
                RecordedRequest request = requests.getLast();
                if (!request.awaitClientClosed(Duration.ofSeconds(5))) {
                    throw new IllegalStateException("upstream connection not closed after cancel " + i);
                }
                long closedNanos = System.nanoTime() - start;
                if (i >= 0) {
                    toEvent[i] = eventNanos;
                    toUpstreamClosed[i] = closedNanos;
                }
            }
        }
        System.out.println("stops: " + stops + " (after 50 warm-up stops)");
        System.out.println(row("cancel -> RunCancelled in the log", toEvent));
        System.out.println(row("cancel -> upstream connection closed (seen by the upstream)", toUpstreamClosed));
    }

    private static String row(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%-62s p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %7.3f ms", what,
            ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
    }

    private CancelLatency() {
    }
}
