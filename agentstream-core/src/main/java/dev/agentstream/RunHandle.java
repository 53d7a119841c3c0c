package dev.agentstream;

import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.run.RunEventLog;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A run in this process: its id, its event log, its output, and the ways to read it (a blocking
 * {@link Stream}, a {@link Flow.Publisher}, or a future of the output). Thread-safe; any number of
 * readers, each at its own position.
 */
public final class RunHandle {

    private final AgentRun run;
    private final AgentRuntime runtime;

    RunHandle(AgentRun run, AgentRuntime runtime) {
        this.run = run;
        this.runtime = runtime;
    }

    public String runId() {
        return run.emitter().info().runId();
    }

    public String sessionId() {
        return run.emitter().info().sessionId();
    }

    public String agentId() {
        return run.emitter().info().agentId();
    }

    public String userId() {
        return run.emitter().info().userId();
    }

    public RunStatus status() {
        return run.emitter().status();
    }

    /** The run's event log, for readers that manage their own position (the SSE writer). */
    public RunEventLog log() {
        return run.emitter().log();
    }

    /** The output as it stands now. */
    public RunOutput output() {
        return run.emitter().output();
    }

    /** Completes when the segment running now ends: completed, cancelled, failed or paused. */
    public CompletableFuture<RunOutput> segmentEnd() {
        return run.emitter().segmentEnd();
    }

    /** Asks the run to stop; see {@link AgentRuntime#cancel}. */
    public AgentRuntime.CancelOutcome cancel(String reason) {
        return runtime.cancel(runId(), reason);
    }

    /**
     * The events after {@code afterSeq} up to the end of the current segment, blocking as they are
     * awaited. Close the stream to stop early. A reader that fell behind the log's retention gets
     * the dropped events from the runtime's {@link dev.agentstream.run.EventReplay}, or an
     * {@link dev.agentstream.run.EventsLostException} naming the gap.
     */
    public Stream<RunEvent> events(long afterSeq) {
        Iterator<RunEvent> iterator = new SegmentIterator(reader(afterSeq));
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator,
            Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** All events from the first, up to the end of the current segment. */
    public Stream<RunEvent> events() {
        return events(0);
    }

    /**
     * The events after {@code afterSeq} up to the end of the current segment as a reactive-streams
     * publisher. Each subscriber gets its own virtual thread that reads the log at its own pace,
     * honouring demand; a slow subscriber never slows the run.
     */
    public Flow.Publisher<RunEvent> publisher(long afterSeq) {
        return subscriber -> new LogSubscription(reader(afterSeq), subscriber).start();
    }

    private LogReader reader(long afterSeq) {
        return new LogReader(log(), runId(), runtime.replay(), afterSeq);
    }

    /** Reads the log batch by batch; ends after the segment's terminal event. Not thread-safe. */
    private static final class SegmentIterator implements Iterator<RunEvent> {
        private final LogReader reader;
        private List<RunEvent> batch = List.of();
        private int index;
        private boolean ended;

        SegmentIterator(LogReader reader) {
            this.reader = reader;
        }

        @Override
        public boolean hasNext() {
            while (index >= batch.size()) {
                if (ended) {
                    return false;
                }
                try {
                    LogReader.Read next = reader.next(Duration.ofSeconds(15));
                    batch = next.events();
                    index = 0;
                    if (next.closed() && batch.isEmpty()) {
                        return false;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }

        @Override
        public RunEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RunEvent event = batch.get(index++);
            reader.delivered(event);
            if (event.isTerminal()) {
                ended = true;
                batch = List.of();
            }
            return event;
        }
    }
}
