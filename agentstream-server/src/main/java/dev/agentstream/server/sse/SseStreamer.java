package dev.agentstream.server.sse;

import static java.util.Objects.requireNonNull;

import dev.agentstream.event.RunEvent;
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
 * <p>While the run is silent the loop writes an empty comment line every {@code probeInterval}:
 * a client that closed its socket is noticed by the second write after the close (the first one
 * only makes the peer answer with a reset), so within two probe intervals even during a long tool
 * call. After {@code heartbeatInterval} without a frame it writes a {@code : ping} comment for
 * proxies and clients that watch for idle streams.
 *
 * <p>When the client is gone the reader is detached and, if it was the run's last reader and the
 * run's policy is {@link DisconnectPolicy#CANCEL}, the run is cancelled with reason
 * {@code client_disconnected}. Disconnects are logged at debug: they are normal.
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
        /** The serving thread was interrupted (shutdown). */
        INTERRUPTED
    }

    private final Duration heartbeatInterval;
    private final Duration probeInterval;
    private final ServerMetrics metrics;
    private final RunService runs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private int open;

    public SseStreamer(Duration heartbeatInterval, Duration probeInterval, ServerMetrics metrics, RunService runs) {
        this.heartbeatInterval = requireNonNull(heartbeatInterval, "heartbeatInterval");
        this.probeInterval = requireNonNull(probeInterval, "probeInterval");
        this.metrics = requireNonNull(metrics, "metrics");
        this.runs = requireNonNull(runs, "runs");
    }

    /**
     * Streams {@code feed} to {@code response} with {@code encoder}, counting as a reader of
     * {@code run} (null when the run is not live in this server). Blocks until the stream ends.
     */
    public Outcome stream(HttpServletResponse response, RunFeed feed, SseEncoder encoder, ServerRun run) {
        if (run != null) {
            run.attachReader();
        }
        opened();
        Outcome outcome = Outcome.INTERRUPTED;
        try {
            outcome = pump(response, feed, encoder);
            return outcome;
        } finally {
            closed();
            if (run != null) {
                int left = run.detachReader();
                if (outcome == Outcome.CLIENT_GONE) {
                    metrics.clientDisconnected();
                    LOG.debug("client of run {} went away after seq {}; {} reader(s) left", run.runId(), feed.position(), left);
                    if (left == 0 && run.policy() == DisconnectPolicy.CANCEL) {
                        runs.cancelAbandoned(run);
                    }
                }
            }
        }
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

    private Outcome pump(HttpServletResponse response, RunFeed feed, SseEncoder encoder) {
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
        long heartbeatNanos = heartbeatInterval.toNanos();
        long lastFrame = System.nanoTime();
        try {
            while (true) {
                RunFeed.Chunk chunk = feed.next(probeInterval);
                if (!chunk.events().isEmpty()) {
                    int written = 0;
                    for (RunEvent event : chunk.events()) {
                        for (SseFrame frame : encoder.encode(event)) {
                            writer.frame(frame);
                            written++;
                        }
                    }
                    writer.flush();
                    metrics.eventsWritten(written);
                    lastFrame = System.nanoTime();
                } else if (!chunk.end()) {
                    if (System.nanoTime() - lastFrame >= heartbeatNanos) {
                        writer.comment("ping");
                        metrics.heartbeat();
                        lastFrame = System.nanoTime();
                    } else {
                        writer.probe();
                    }
                    writer.flush();
                }
                if (chunk.end()) {
                    return Outcome.COMPLETED;
                }
            }
        } catch (IOException e) {
            return Outcome.CLIENT_GONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.INTERRUPTED;
        }
    }
}
