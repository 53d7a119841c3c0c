package dev.agentstream.bench.jmh;

import dev.agentstream.event.EventHeader;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunEvent;
import dev.agentstream.run.RunEventLog;
import dev.agentstream.server.wire.v1.V1Encoder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-token path inside the server, one event at a time: append a {@code RunContent} to the
 * run's log, read it back as a waiting reader would, and encode its native SSE frame. Run with
 * {@code -prof gc} for bytes per event. See docs/BENCHMARKS.md for the command.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PerEventBenchmark {

    /** A token as a model sends it: a few characters. */
    private static final String TOKEN = " otters";

    private RunEventLog log;
    private long seq;
    private RunEvent sample;

    @Setup(Level.Iteration)
    public void newLog() {
        log = new RunEventLog(100_000, 1L << 20);
        seq = 0;
        sample = content(1);
    }

    private static RunContent content(long seq) {
        return new RunContent(new EventHeader(seq, "run-2f6c1d0e", "session-9a41", "assistant", null, 1_765_000_000L),
            TOKEN);
    }

    /** Encoding one event as the native format's SSE frame (JSON + framing), as every stream does once per event. */
    @Benchmark
    public byte[] encodeNativeFrame() {
        return V1Encoder.INSTANCE.encode(sample);
    }

    /** Appending to the log and reading it back from the reader's position (no waiting: the event is there). */
    @Benchmark
    public RunEventLog.Batch appendAndRead() throws InterruptedException {
        long next = ++seq;
        if (!log.tryAppend(content(next))) {
            throw new IllegalStateException("closed");
        }
        return log.awaitAfter(next - 1, Duration.ZERO);
    }

    /** The whole server-side path of one token for one reader: append, read, encode. */
    @Benchmark
    public byte[] appendReadEncode() throws InterruptedException {
        long next = ++seq;
        log.tryAppend(content(next));
        RunEventLog.Entry entry = log.awaitAfter(next - 1, Duration.ZERO).entries().getFirst();
        return entry.memo(V1Encoder.INSTANCE.memoKey(), V1Encoder.INSTANCE::encode, false);
    }
}
