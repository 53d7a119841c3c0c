package dev.agentstream.testkit;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol and answers each
 * {@code POST /v1/chat/completions} with the next queued {@link Script}: streamed as Server-Sent Events when the
 * request says {@code "stream": true}, as one JSON object otherwise. Point a client at {@link #baseUrl()}; any
 * API key is accepted. Every request is recorded as a {@link RecordedRequest}.
 *
 * <p>Thread contract: all methods are thread-safe. Each exchange is answered on its own virtual thread, so any
 * number of requests may be in flight at once; scripts are handed out in the order they were queued, one per
 * request, in the order requests arrive. {@link #close()} is idempotent and wakes requests that are waiting or
 * stalled.
 *
 * <pre>{@code
 * try (var server = ScriptedOpenAiServer.start()) {
 *     server.enqueue(Script.text("Hel", "lo").usage(3, 2));
 *     var model = OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl()).apiKey("test").build();
 *     ...
 * }
 * }</pre>
 */
public final class ScriptedOpenAiServer implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";

    private final HttpServer httpServer;
    private final ExecutorService executor;
    private final ShutdownSignal shutdown = new ShutdownSignal();
    private final RequestLog requestLog = new RequestLog();
    private final ConcurrentLinkedQueue<Script> scripts = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Optional<Script>> defaultScript = new AtomicReference<>(Optional.empty());
    private final AtomicBoolean closed = new AtomicBoolean();

    private ScriptedOpenAiServer(HttpServer httpServer, ExecutorService executor) {
        this.httpServer = httpServer;
        this.executor = executor;
    }

    /** Starts a server on a free port of 127.0.0.1. */
    public static ScriptedOpenAiServer start() {
        HttpServer httpServer;
        try {
            httpServer = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not bind a local port", e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        ScriptedOpenAiServer server = new ScriptedOpenAiServer(httpServer, executor);
        httpServer.createContext("/", new ChatCompletionsHandler(server.requestLog, server::nextScript,
                server.shutdown));
        httpServer.setExecutor(executor);
        httpServer.start();
        return server;
    }

    /** The base URL OpenAI clients want, e.g. {@code http://127.0.0.1:41234/v1}. */
    public String baseUrl() {
        return "http://" + LOOPBACK + ":" + port() + "/v1";
    }

    public int port() {
        return httpServer.getAddress().getPort();
    }

    /** Queues scripts; each request takes the oldest queued one. */
    public ScriptedOpenAiServer enqueue(Script... toQueue) {
        for (Script script : toQueue) {
            scripts.add(Objects.requireNonNull(script));
        }
        return this;
    }

    /** The script used whenever the queue is empty (instead of answering "no script was queued"). */
    public ScriptedOpenAiServer setDefault(Script script) {
        defaultScript.set(Optional.of(script));
        return this;
    }

    public ScriptedOpenAiServer clearDefault() {
        defaultScript.set(Optional.empty());
        return this;
    }

    /** How many queued scripts no request has taken yet. */
    public int pendingScripts() {
        return scripts.size();
    }

    /** The requests received so far, in arrival order (a snapshot). */
    public List<RecordedRequest> requests() {
        return requestLog.snapshot();
    }

    /**
     * Waits until the request at zero-based {@code index} (in arrival order) has been received and returns it.
     *
     * @throws IllegalStateException if it has not arrived within {@code timeout}
     */
    public RecordedRequest awaitRequest(int index, Duration timeout) {
        return requestLog.await(index, timeout);
    }

    /** Stops the server: in-flight requests are woken and their connections dropped. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        shutdown.trigger();
        httpServer.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<Script> nextScript() {
        Script queued = scripts.poll();
        return queued != null ? Optional.of(queued) : defaultScript.get();
    }

    @Override
    public String toString() {
        return "ScriptedOpenAiServer[" + baseUrl() + ", requests=" + requests().size() + ", pendingScripts="
                + pendingScripts() + "]";
    }
}
