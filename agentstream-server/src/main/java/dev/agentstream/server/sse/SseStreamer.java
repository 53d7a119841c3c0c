package dev.agentstream.server.sse;

import static java.util.Objects.requireNonNull;

import dev.agentstream.run.RunEventLog;
import dev.agentstream.server.metrics.ServerMetrics;
import dev.agentstream.server.run.DisconnectPolicy;
import dev.agentstream.server.run.RunFeed;
import dev.agentstream.server.run.RunService;
import dev.agentstream.server.run.ServerRun;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one SSE response from a {@link RunFeed}: the calling (virtual) thread owns the connection
 * and runs read → encode → write → flush per batch until the feed ends or the client is gone. No
 * other thread writes, so no lock is needed.
 *
 * <p>While the run is silent the loop writes an empty comment line after {@code probeInterval},
 * then after twice that, and so on up to {@code heartbeatInterval}: a client that closed its socket
 * is noticed by the second write after the close (the first one only makes the peer answer with a
 * reset). A client that leaves while tokens flow is noticed within two tokens; one that leaves
 * during a long silence (a tool call, a pause), when nothing is being paid for, within a few
 * probes; and 10,000 idle streams cost one write each per heartbeat interval, not one per probe
 * interval. After {@code heartbeatInterval} without a frame it writes a {@code : ping} comment for
 * proxies and clients that watch for idle streams.
 *
 * <p>When the client is gone the reader is detached and, if it was the run's last reader and the
 * run's policy is {@link DisconnectPolicy#CANCEL}, the run is cancelled with reason
 * {@code client_disconnected}. Disconnects are logged at debug: they are normal.
 *
 * <p>A client that stops reading is dropped the same way once a write has waited for it longer
 * than the write timeout ({@link WriteWatchdog}): until then its thread waits in the write, holding
 * only its position in the run; the events themselves stay in the run's bounded log (or the store),
 * which every reader shares, so a stalled reader costs no memory of its own and slows no other.
 *
 * <p>Thread contract: thread-safe and stateless per call; each call blocks its caller until the
 * stream ends.
 */
public final class SseStreamer {

    private static final Logger LOG = LoggerFactory.getLogger(SseStreamer.class);

    /** How a stream ended. */
    public enum Outcome {
        /** The feed ended (after a terminal event); the response is complete. */
        COMPLETED,
        /** A write failed: the client went away. */
        CLIENT_GONE,
        /** A write did not finish within the write timeout: the client reads too slowly, or not at all. */
        TOO_SLOW,
        /** The serving thread was interrupted (shutdown). */
        INTERRUPTED
    }

    private final Duration heartbeatInterval;
    private final Duration probeInterval;
    private final ServerMetrics metrics;
    private final RunService runs;
    private final WriteWatchdog watchdog;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private int open;

    public SseStreamer(Duration heartbeatInterval, Duration probeInterval, ServerMetrics metrics, RunService runs,
                       WriteWatchdog watchdog) {
        this.heartbeatInterval = requireNonNull(heartbeatInterval, "heartbeatInterval");
        this.probeInterval = requireNonNull(probeInterval, "probeInterval");
        this.metrics = requireNonNull(metrics, "metrics");
        this.runs = requireNonNull(runs, "runs");
        this.watchdog = requireNonNull(watchdog, "watchdog");
    }

    /**
     * Streams {@code feed} to {@code response} with a format whose frames every reader shares,
     * counting as a reader of {@code run} (null when the run is not live in this server). Blocks
     * until the stream ends.
     */
    public Outcome stream(HttpServletResponse response, RunFeed feed, SharedSseEncoder encoder, ServerRun run) {
        return stream(response, feed, (writer, entry) -> {
            // Kept beside the event only while another reader may want it; a lone reader keeps nothing.
            boolean shared = run != null && run.readers() > 1;
            byte[] frames = entry.memo(encoder.memoKey(), encoder::encode, shared);
            if (frames.length > 0) {
                writer.encoded(frames);
            }
        }, run);
    }

    /**
     * Streams {@code feed} to {@code response} with a format that keeps per-stream state (a fresh
     * {@code encoder} per stream), counting as a reader of {@code run} (null when the run is not
     * live in this server). Blocks until the stream ends.
     */
    public Outcome stream(HttpServletResponse response, RunFeed feed, SseEncoder encoder, ServerRun run) {
        return stream(response, feed, (writer, entry) -> {
            for (SseFrame frame : encoder.encode(entry.event())) {
                writer.frame(frame);
            }
        }, run);
    }

    private Outcome stream(HttpServletResponse response, RunFeed feed, EntryWriter encoding, ServerRun run) {
        if (run != null) {
            run.attachReader();
        }
        opened();
        Outcome outcome = Outcome.INTERRUPTED;
        try {
            outcome = pump(response, feed, encoding);
            return outcome;
        } finally {
            feed.close();
            closed();
            if (run != null) {
                int left = run.detachReader();
                if (outcome == Outcome.CLIENT_GONE || outcome == Outcome.TOO_SLOW) {
                    metrics.clientDisconnected();
                    LOG.debug("client of run {} {} after seq {}; {} reader(s) left", run.runId(),
                        outcome == Outcome.TOO_SLOW ? "read too slowly and was dropped" : "went away", feed.position(), left);
                    if (left == 0 && run.policy() == DisconnectPolicy.CANCEL) {
                        runs.cancelAbandoned(run);
                    }
                }
            }
        }
    }

    /** Writes one event's frames in a stream's format. */
    @FunctionalInterface
    private interface EntryWriter {
        void write(SseWriter writer, RunEventLog.Entry entry) throws IOException;
    }

    private void opened() {
        metrics.streamOpened();
        lock.lock();
        try {
            open++;
        } finally {
            lock.unlock();
        }
    }

    private void closed() {
        metrics.streamClosed();
        lock.lock();
        try {
            if (--open == 0) {
                drained.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code timeout} for every open stream to end, so that at shutdown the runs'
     * last events reach their readers before HTTP stops. Returns false if some are still open.
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (open > 0 && nanos > 0) {
                nanos = drained.awaitNanos(nanos);
            }
            return open == 0;
        } finally {
            lock.unlock();
        }
    }

    private Outcome pump(HttpServletResponse response, RunFeed feed, EntryWriter encoding) {
        SseWriter writer;
        try {
            response.setStatus(200);
            response.setContentType("text/event-stream;charset=utf-8");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
            // Headers go out now, before any event exists, so the client knows the stream is open.
            response.flushBuffer();
            writer = new SseWriter(response.getOutputStream());
        } catch (IOException e) {
            return Outcome.CLIENT_GONE;
        }
        try (WriteWatchdog.Deadline deadline = watchdog.watch()) {
            try {
                return pump(feed, encoding, writer, deadline);
            } catch (IOException e) {
                return deadline.expired() ? tooSlow() : Outcome.CLIENT_GONE;
            } catch (InterruptedException e) {
                if (deadline.expired()) {
                    return tooSlow();
                }
                Thread.currentThread().interrupt();
                return Outcome.INTERRUPTED;
            }
        }
    }

    /** The watchdog interrupted a stuck write: clear the interrupt, it was for the write only. */
    private Outcome tooSlow() {
        Thread.interrupted();
        metrics.slowReaderDropped();
        return Outcome.TOO_SLOW;
    }

    private Outcome pump(RunFeed feed, EntryWriter encoding, SseWriter writer, WriteWatchdog.Deadline deadline)
        throws IOException, InterruptedException {
        long heartbeatNanos = heartbeatInterval.toNanos();
        long lastFrame = System.nanoTime();
        Duration wait = probeInterval;
        while (true) {
            RunFeed.Chunk chunk = feed.next(wait);
            deadline.arm();
            if (!chunk.entries().isEmpty()) {
                for (RunEventLog.Entry entry : chunk.entries()) {
                    encoding.write(writer, entry);
                }
                writer.flush();
                metrics.eventsWritten(chunk.entries().size());
                lastFrame = System.nanoTime();
                wait = probeInterval;
            } else if (!chunk.end()) {
                if (System.nanoTime() - lastFrame >= heartbeatNanos) {
                    writer.comment("ping");
                    metrics.heartbeat();
                    lastFrame = System.nanoTime();
                } else {
                    writer.probe();
                }
                writer.flush();
                // While the run is silent nothing is being paid for, so a gone client may be
                // noticed later: probe at once, then less and less often, up to the heartbeat.
                wait = min(wait.multipliedBy(2), heartbeatInterval);
            }
            if (!deadline.disarm()) {
                // The write got through just as it expired: its interrupt is set, and the client too slow.
                return tooSlow();
            }
            if (chunk.end()) {
                return Outcome.COMPLETED;
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
