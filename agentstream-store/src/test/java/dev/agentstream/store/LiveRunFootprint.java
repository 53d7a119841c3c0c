package dev.agentstream.store;

import dev.agentstream.event.EventHeader;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunStarted;
import dev.agentstream.run.RunInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The heap a live run's recorder state ({@link LiveRun}) holds mid-answer: after {@code tokens}
 * deltas of "word " with a flush every 10 and the last 4 not flushed yet; the runs' {@code RunInfo}s
 * (shared with core) are not counted. Not a test: run it by hand (see docs/BENCHMARKS.md).
 *
 * <p>Usage: {@code LiveRunFootprint <runs> <tokens>}.
 */
public final class LiveRunFootprint {

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int tokens = Integer.parseInt(args[1]);
        List<RunInfo> infos = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            infos.add(new RunInfo("run-" + i, "session-" + i, "user", "agent", null, "question", Instant.EPOCH));
        }
        long before = used();
        List<LiveRun> runs = new ArrayList<>(n);
        for (RunInfo info : infos) {
            long seq = 1;
            LiveRun run = LiveRun.started(info,
                new RunStarted(new EventHeader(seq, info.runId(), info.sessionId(), "agent", null, 0), "m"), info.runId(),
                "node", 0);
            run.prepare(0, 30_000);
            run.acknowledge();
            for (int t = 0; t < tokens; t++) {
                EventHeader header = new EventHeader(++seq, info.runId(), info.sessionId(), "agent", null, 0);
                run.add(new RunContent(header, "word "), 0);
                // a flush every 10 tokens (200 ms at 50 tokens/s), the last 4 tokens not flushed yet
                if (t % 10 == 9 && t < tokens - 4) {
                    run.prepare(0, 30_000);
                    run.acknowledge();
                }
            }
            runs.add(run);
        }
        long after = used();
        System.out.printf("%d runs, %d tokens each: %.0f bytes per live run%n", n, tokens, (after - before) / (double) n);
        // Keeps both lists reachable until measured.
        System.out.println(runs.size() + infos.size() + " objects kept");
    }

    private LiveRunFootprint() {
    }

    private static long used() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
