package dev.agentstream.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * Closes connections whose request arrives too slowly: a head begun but not finished within the read
 * timeout (answered 408 with the JSON error body, then closed), or a body still arriving the read
 * timeout after its head (closed). Jetty's idle timeout alone cannot, since every trickled byte resets
 * it. A silent connection is left to the idle timeout; a request being handled or a response being
 * streamed is never touched, as no bytes arrive meanwhile.
 *
 * <p>It watches Jetty's per-connection counters (requests whose head was read, responses begun, bytes
 * read) on one sweeping thread, a few times per read timeout.
 *
 * <p>Thread contract: thread-safe; Jetty calls the listener from its selector threads.
 */
public final class SlowRequests extends AbstractLifeCycle implements Connection.Listener {

    private static final byte[] TIMEOUT_RESPONSE = response();

    private final long readTimeoutNanos;
    private final Map<Connection, Progress> open = new ConcurrentHashMap<>();
    private ScheduledExecutorService sweeper;

    public SlowRequests(Duration readTimeout) {
        this.readTimeoutNanos = readTimeout.toNanos();
    }

    /** What a connection had done at the last sweep, and since when its request has been arriving. */
    private static final class Progress {
        long requests;
        long responses;
        long bytesAtChange;
        long changedAt;
        long arrivingSince;

        Progress(long now) {
            changedAt = now;
        }
    }

    @Override
    public void onOpened(Connection connection) {
        open.put(connection, new Progress(System.nanoTime()));
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    @Override
    protected void doStart() {
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(20), readTimeoutNanos / 4);
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("agentstream-slow-requests")
            .daemon(true).factory());
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    protected void doStop() {
        sweeper.shutdownNow();
    }

    private void sweep() {
        long now = System.nanoTime();
        open.forEach((connection, progress) -> check(connection, progress, now));
    }

    private void check(Connection connection, Progress progress, long now) {
        long requests = connection.getMessagesIn();
        long responses = connection.getMessagesOut();
        long bytes = connection.getBytesIn();
        if (requests != progress.requests || responses != progress.responses) {
            progress.requests = requests;
            progress.responses = responses;
            progress.bytesAtChange = bytes;
            progress.changedAt = now;
            progress.arrivingSince = 0;
            return;
        }
        boolean awaitingHead = requests == responses;
        if (awaitingHead) {
            // Bytes of a head that has not ended: timed from the sweep that first saw them.
            if (bytes > progress.bytesAtChange && progress.arrivingSince == 0) {
                progress.arrivingSince = now;
            }
            if (progress.arrivingSince != 0 && now - progress.arrivingSince > readTimeoutNanos) {
                answerAndClose(connection);
            }
        } else if (bytes > progress.bytesAtChange && now - progress.changedAt > readTimeoutNanos) {
            // Body bytes still coming in a read timeout after the head: a trickle, not an upload.
            connection.close();
        }
        progress.bytesAtChange = awaitingHead ? progress.bytesAtChange : bytes;
    }

    private static void answerAndClose(Connection connection) {
        connection.getEndPoint().write(Callback.from(connection::close, failure -> connection.close()),
            ByteBuffer.wrap(TIMEOUT_RESPONSE));
    }

    private static byte[] response() {
        String body = "{\"error\":{\"code\":\"request_timeout\",\"message\":\"the request did not arrive within the read"
            + " timeout\"}}";
        return ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nContent-Length: "
            + body.getBytes(UTF_8).length + "\r\nConnection: close\r\n\r\n" + body).getBytes(UTF_8);
    }
}
