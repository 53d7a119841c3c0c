package dev.agentstream.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP/1.1 request over its own raw socket ({@code Connection: close}), read pull-style: the
 * status, then SSE frames one at a time, or the whole body. Closing it mid-stream is a client that
 * goes away. Every read is bounded by the deadline given at the start.
 */
final class SseExchange implements AutoCloseable {

    /** One SSE frame; {@code seq} is the event's {@code seq} field, or -1 when it has none. */
    record Frame(String event, String data, long seq) {

        private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");

        static Frame of(String event, String data) {
            Matcher m = SEQ.matcher(data);
            return new Frame(event, data, m.find() ? Long.parseLong(m.group(1)) : -1);
        }

        /** The value of a string field of the data, e.g. {@code run_id}, or null. */
        String field(String name) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(data);
            return m.find() ? m.group(1) : null;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final long deadlineNanos;
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final SseParser parser = new SseParser((event, data) -> frames.add(Frame.of(event, data)));
    private final HttpResponseDecoder decoder = new HttpResponseDecoder((bytes, offset, length) -> {
        body.write(bytes, offset, length);
        parser.body(bytes, offset, length);
    });
    private final byte[] buffer = new byte[8192];
    private boolean ended;

    private SseExchange(Socket socket, long deadlineNanos) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.deadlineNanos = deadlineNanos;
    }

    /** Sends {@code method path} with {@code headers} and a JSON (or other) body, which may be null. */
    static SseExchange send(InetSocketAddress address, String method, String path, Map<String, String> headers,
                            String body, long deadlineNanos) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, 5_000);
            socket.setTcpNoDelay(true);
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(address.getHostString()).append(':').append(address.getPort()).append("\r\n")
                .append("Connection: close\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(bytes.length).append("\r\n");
            }
            head.append("\r\n");
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(bytes);
            return new SseExchange(socket, deadlineNanos);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The response status, once its head arrived. */
    int status() throws IOException {
        while (!decoder.headEnded()) {
            if (!readMore()) {
                throw new IOException("connection closed before the response head");
            }
        }
        return decoder.status();
    }

    /** The next SSE frame, or null when the response ended first. */
    Frame next() throws IOException {
        while (frames.isEmpty()) {
            if (!readMore()) {
                return null;
            }
        }
        return frames.poll();
    }

    /** The whole body as text (a non-streamed answer). */
    String body() throws IOException {
        while (readMore()) {
            // reading to the end
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private boolean readMore() throws IOException {
        if (ended || decoder.done()) {
            return false;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("no end before the deadline");
        }
        socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
        int n = in.read(buffer);
        if (n < 0) {
            ended = true;
            return false;
        }
        decoder.feed(buffer, 0, n);
        return true;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
