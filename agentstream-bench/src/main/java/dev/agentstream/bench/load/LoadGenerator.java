package dev.agentstream.bench.load;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One load level against one target: {@code streams} concurrent SSE streams ramped over
 * {@code ramp-ms}, each on a virtual thread over a raw socket. Timeline (D = tokens / rate):
 * <ol>
 *   <li>idle heap of the target (full GC, then used heap), before any stream;</li>
 *   <li>the ramp; then the steady window, from half a second after the ramp to 4 s before the
 *       first stream's end, over which the target's CPU is read;</li>
 *   <li>live threads, and the heap with every stream open and mid-stream;</li>
 *   <li>stops of the last-started streams, which asked for twice the tokens (cancel route or
 *       disconnect);</li>
 *   <li>waiting for every stream to end, at most {@code grace-ms} past its expected end.</li>
 * </ol>
 * Delivery latency counts tokens emitted before step 3: the harness's own full GC and stops are not
 * the target's doing. Completeness counts every stream that was not stopped.
 *
 * <p>Writes one tab-separated {@code key=value} line to {@code --result-file} and a summary to stdout.
 * With {@code --fail-late-ms L} it exits 1 when a stream is incomplete or any token arrived more
 * than L ms after its emit time (the smoke check).
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        TargetKind kind = TargetKind.parse(args.required("target"));
        Nodes nodes = Nodes.parse(args.required("url"), args.flag("cross-read"));
        int count = args.integer("streams", 200);
        int tokens = args.integer("tokens", 100);
        double rate = args.decimal("rate", 10);
        long rampMs = args.longValue("ramp-ms", Math.max(500, Math.min(2_000, count)));
        long graceMs = args.longValue("grace-ms", 20_000);
        ProcessGroup probe = ProcessGroup.parse(args.get("pid", null), args.integer("clk-tck", 100));
        boolean heap = args.flag("heap") && probe != null;
        int stopSample = args.integer("stop-sample", Math.min(50, count / 10));
        String upstream = args.get("upstream", null);
        long failLateMs = args.longValue("fail-late-ms", 0);

        long durationMs = (long) (tokens * 1000 / rate);
        long idBase = System.currentTimeMillis() * 100_000L;
        long heapIdleKb = heap ? probe.usedHeapKbAfterGc() : -1;

        List<BenchStream> streams = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // The last-started streams are the stop sample: twice as long, so they are still
            // mid-stream when the stops come after the heap figure.
            boolean sampled = i >= count - stopSample;
            streams.add(new BenchStream(idBase + i, kind, Nodes.address(nodes.owner(i)), Nodes.address(nodes.reader(i)),
                sampled ? 2 * tokens : tokens));
        }
        long t0 = System.nanoTime() + 200_000_000L;
        long rampNanos = rampMs * 1_000_000L;
        long deadline = t0 + rampNanos + ((stopSample > 0 ? 2 : 1) * durationMs + graceMs) * 1_000_000L;
        List<Thread> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BenchStream stream = streams.get(i);
            long start = t0 + rampNanos * i / count;
            threads.add(Thread.ofVirtual().name("stream-" + i).start(() -> stream.run(start, deadline)));
        }

        long steadyStart = t0 + rampNanos + 500_000_000L;
        // Room after the window for the heap figure (before the first stream ends) and the stops.
        long steadyEnd = Math.max(steadyStart + 1_000_000_000L, t0 + (durationMs - 4_000) * 1_000_000L);
        Sleep.until(steadyStart);
        long windowStartMicros = Micros.now();
        long cpuStart = probe != null ? probe.cpuMicros() : 0;
        long wallStart = System.nanoTime();
        Sleep.until(steadyEnd);
        long cpuEnd = probe != null ? probe.cpuMicros() : 0;
        long wallEnd = System.nanoTime();
        long windowEndMicros = Micros.now();
        int liveThreads = probe != null ? probe.threads() : -1;
        String loadAverage = ProcessProbe.loadAverage();

        long disturbanceMicros = Micros.now();
        long heapLoadedKb = heap ? probe.usedHeapKbAfterGc() : -1;
        List<BenchStream> stopped = List.of();
        if (stopSample > 0) {
            long stopDeadline = t0 + rampNanos + (2 * durationMs - 1_000) * 1_000_000L;
            stopped = new Stopper(kind, s -> nodes.stopper((int) (s.id - idBase))).stop(streams.subList(count - stopSample, count), stopDeadline);
        }

        for (Thread thread : threads) {
            long left = deadline + 2_000_000_000L - System.nanoTime();
            if (left > 0) {
                thread.join(Duration.ofNanos(left));
            }
        }
        streams.forEach(BenchStream::abort);
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(1));
        }

        Map<Long, Long> closes = Map.of();
        if (!stopped.isEmpty() && upstream != null) {
            Set<Long> ids = stopped.stream().map(s -> s.id).collect(Collectors.toSet());
            closes = new UpstreamCloses(URI.create(upstream)).await(idBase, idBase + count, ids, Duration.ofSeconds(5));
        }

        LevelFigures figures = LevelFigures.of(streams, stopped, closes, disturbanceMicros, windowStartMicros,
            windowEndMicros);
        Map<String, String> result = new TreeMap<>();
        result.put("target", args.get("label", kind.label()));
        result.put("streams", Integer.toString(count));
        result.put("tokens_per_stream", Integer.toString(tokens));
        result.put("ramp_ms", Long.toString(rampMs));
        figures.into(result);
        double windowSeconds = (wallEnd - wallStart) / 1e9;
        result.put("window_s", String.format(java.util.Locale.ROOT, "%.1f", windowSeconds));
        result.put("loadavg", loadAverage);
        if (probe != null) {
            long cpu = cpuEnd - cpuStart;
            result.put("cpu_cores", String.format(java.util.Locale.ROOT, "%.2f", cpu / 1e6 / windowSeconds));
            long windowTokens = Long.parseLong(result.get("tokens_in_window"));
            result.put("cpu_us_per_token", windowTokens == 0 ? "-1" : String.format(java.util.Locale.ROOT, "%.1f",
                (double) cpu / windowTokens));
            result.put("threads", Integer.toString(liveThreads));
        }
        if (heapIdleKb >= 0 && heapLoadedKb >= 0) {
            result.put("heap_idle_kb", Long.toString(heapIdleKb));
            result.put("heap_loaded_kb", Long.toString(heapLoadedKb));
            result.put("heap_per_stream_kb", String.format(java.util.Locale.ROOT, "%.1f",
                (double) (heapLoadedKb - heapIdleKb) / count));
        }

        String line = result.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\t"));
        System.out.println(line);
        figures.printProblems(System.out);
        String resultFile = args.get("result-file", null);
        if (resultFile != null) {
            Files.writeString(Path.of(resultFile), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        int exit = 0;
        if (failLateMs > 0) {
            if (figures.incomplete() > 0) {
                System.out.println("FAIL: " + figures.incomplete() + " of " + count + " streams incomplete");
                exit = 1;
            }
            if (figures.maxLateMs() > failLateMs || figures.maxLateMs() < 0) {
                System.out.println("FAIL: a token arrived " + figures.maxLateMs() + " ms after its emit time (limit "
                    + failLateMs + " ms)");
                exit = 1;
            }
            if (exit == 0) {
                System.out.println("OK: " + count + " streams complete, latest token " + figures.maxLateMs() + " ms");
            }
        }
        System.exit(exit);
    }
}
