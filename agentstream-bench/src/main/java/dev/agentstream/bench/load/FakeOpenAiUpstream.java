package dev.agentstream.bench.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fake OpenAI upstream for load runs: {@code POST /v1/chat/completions} streams {@code tokens}
 * tokens at {@code rate} per second, each token's text a {@link TokenMarker} (stream id from the
 * request body, index, emit time). One virtual thread per connection writes; a second one blocks
 * on the socket's read side so a client's close is seen the moment it arrives, not at the next
 * write. {@code GET /bench/closes?from=&to=} lists those closes; {@code GET /bench/health} answers
 * {@code ok}.
 *
 * <p>Usage: {@code FakeOpenAiUpstream [--port 0] [--port-file f] [--tokens 100] [--rate 10]}.
 */
public final class FakeOpenAiUpstream implements AutoCloseable {

    private final ServerSocket server;
    private final int tokens;
    private final long intervalNanos;
    private final CloseLog closes = new CloseLog();

    private FakeOpenAiUpstream(int port, int tokens, double tokensPerSecond) throws IOException {
        this.tokens = tokens;
        this.intervalNanos = (long) (1e9 / tokensPerSecond);
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8192);
        Thread.ofPlatform().name("upstream-accept").daemon().start(this::acceptLoop);
    }

    static FakeOpenAiUpstream start(int port, int tokens, double tokensPerSecond) throws IOException {
        return new FakeOpenAiUpstream(port, tokens, tokensPerSecond);
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        FakeOpenAiUpstream upstream = start(args.integer("port", 0), args.integer("tokens", 100), args.decimal("rate", 10));
        String portFile = args.get("port-file", null);
        if (portFile != null) {
            Files.writeString(Path.of(portFile), Integer.toString(upstream.port()));
        }
        System.out.println("fake OpenAI upstream on 127.0.0.1:" + upstream.port());
        Thread.currentThread().join();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().name("upstream-conn").start(() -> serve(socket));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("upstream accept: " + e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            HttpRequestHead request = HttpRequestHead.read(in);
            if (request == null) {
                return;
            }
            String path = request.path();
            if (request.method().equals("POST") && path.endsWith("/chat/completions")) {
                stream(request, in, out);
            } else if (path.equals("/bench/closes")) {
                text(out, 200, closes.between(Long.parseLong(request.query("from", "0")),
                    Long.parseLong(request.query("to", Long.toString(Long.MAX_VALUE)))));
            } else if (path.equals("/bench/health")) {
                text(out, 200, "ok\n");
            } else {
                text(out, 404, "no route " + path + "\n");
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stream(HttpRequestHead request, InputStream in, OutputStream out) throws IOException, InterruptedException {
        long streamId = StreamIds.lastIn(request.body());
        int count = StreamIds.tokensIn(request.body(), tokens);
        CloseWatch watch = CloseWatch.start(in, streamId, closes);
        OpenAiChunks chunks = new OpenAiChunks(streamId, System.currentTimeMillis() / 1000);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait = start + i * intervalNanos - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            writeChunk(out, chunks.content(TokenMarker.format(streamId, i, Micros.now()), i == 0));
        }
        // Every token is out: a close from here on is the normal end, not a stop. (A write that
        // fails before this leaves the close to the watch, which saw it first.)
        watch.ending();
        writeChunk(out, chunks.finish());
        writeChunk(out, chunks.usage(10, count));
        writeChunk(out, OpenAiChunks.done());
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One HTTP chunk holding one SSE frame, sent at once. */
    private static void writeChunk(OutputStream out, byte[] frame) throws IOException {
        out.write((Integer.toHexString(frame.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(frame);
        out.write('\r');
        out.write('\n');
        out.flush();
    }

    private static void text(OutputStream out, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found")
            + "\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: " + bytes.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    /**
     * Blocks on a stream's read side on its own virtual thread: the request is fully read, so the
     * next thing that can arrive is the client's FIN or RST, and its time is the close time.
     */
    private static final class CloseWatch {
        private volatile boolean ending;

        static CloseWatch start(InputStream in, long streamId, CloseLog closes) {
            CloseWatch watch = new CloseWatch();
            Thread.ofVirtual().name("upstream-close-watch").start(() -> {
                try {
                    while (in.read() >= 0) {
                        // a client sends nothing more on a streaming request; ignore stray bytes
                    }
                } catch (IOException e) {
                    // a reset, or our own close at the end
                }
                if (!watch.ending) {
                    closes.closed(streamId, Micros.now());
                }
            });
            return watch;
        }

        void ending() {
            ending = true;
        }
    }
}
