package dev.agentstream.bench.springai;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny OpenAI-compatible upstream on loopback: {@code POST /v1/chat/completions} answers with a
 * {@code chat.completion.chunk} SSE stream of {@code tokens} tokens, {@code delayMillis} apart, then
 * {@code [DONE]}. It records request bodies and counts streams the client closed before the end (a
 * write to the closed connection fails).
 *
 * <p>Also runnable by hand for curl checks:
 * {@code java -cp target/test-classes dev.agentstream.bench.springai.FakeOpenAiUpstream [port] [tokens] [delayMillis]}.
 */
final class FakeOpenAiUpstream implements AutoCloseable {

    private final HttpServer server;
    private volatile int tokens;
    private final long delayMillis;
    private final List<String> requestBodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();
    private final boolean verbose;

    private FakeOpenAiUpstream(int port, int tokens, long delayMillis, boolean verbose) throws IOException {
        this.tokens = tokens;
        this.delayMillis = delayMillis;
        this.verbose = verbose;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        this.server.createContext("/v1/chat/completions", this::handle);
        this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server.start();
    }

    static FakeOpenAiUpstream start(int tokens, long delayMillis) throws IOException {
        return new FakeOpenAiUpstream(0, tokens, delayMillis, false);
    }

    /** Tokens per answer for requests from now on. */
    void setTokens(int tokens) {
        this.tokens = tokens;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<String> requestBodies() {
        return requestBodies;
    }

    int completed() {
        return completed.get();
    }

    int closedByClient() {
        return closedByClient.get();
    }

    /** Token {@code i}, spaced like real model tokens: {@code "tok0"}, {@code " tok1"}, ... */
    static String token(int i) {
        return i == 0 ? "tok0" : " tok" + i;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requestBodies.add(body);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        int tokens = this.tokens;
        int sent = 0;
        try (OutputStream out = exchange.getResponseBody()) {
            send(out, chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
            for (; sent < tokens; sent++) {
                if (delayMillis > 0) {
                    TimeUnit.MILLISECONDS.sleep(delayMillis);
                }
                send(out, chunk("{\"content\":\"" + token(sent) + "\"}", null));
                log("sent token " + sent);
            }
            send(out, chunk("{}", "\"stop\""));
            send(out, "[DONE]");
            completed.incrementAndGet();
            log("stream completed after " + sent + " tokens");
        } catch (IOException e) {
            closedByClient.incrementAndGet();
            log("stream closed by client after " + sent + " tokens (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private static String chunk(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"bench\","
            + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}";
    }

    private static void send(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void log(String line) {
        if (verbose) {
            System.out.println(java.time.LocalTime.now() + " " + line);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8089;
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long delay = args.length > 2 ? Long.parseLong(args[2]) : 200;
        FakeOpenAiUpstream upstream = new FakeOpenAiUpstream(port, tokens, delay, true);
        System.out.println("fake upstream on " + upstream.baseUrl() + ": " + tokens + " tokens, " + delay + " ms apart");
        Thread.currentThread().join();
    }
}
