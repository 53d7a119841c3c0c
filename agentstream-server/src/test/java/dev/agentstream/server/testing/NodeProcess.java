package dev.agentstream.server.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An agentstream server in a process of its own ({@code dev.agentstream.server.Main} on this test's
 * class path, which is what {@code agentstream.jar} holds), on a loopback port, configured by
 * environment variables. {@link #kill()} is {@code kill -9}; {@link #close()} stops it gracefully and
 * kills it if it does not stop in time. A JVM shutdown hook kills whatever a test left running.
 */
public final class NodeProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final int port;
    private final Map<String, String> env;
    private final Path logFile;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    private NodeProcess(String name, int port, Map<String, String> env) {
        this.name = name;
        this.port = port;
        this.env = Map.copyOf(env);
        this.logFile = Path.of("target", "nodes", name + "-" + port + ".log");
    }

    /**
     * The environment of a node in a group: its id, the shared database and Redis, and the model at
     * {@code modelBaseUrl} (an OpenAI-compatible test server).
     */
    public static Map<String, String> clusterEnv(String nodeId, String jdbcUrl, String redisUrl, String modelBaseUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("AGENTSTREAM_DB", jdbcUrl);
        env.put("AGENTSTREAM_REDIS", redisUrl);
        env.put("AGENTSTREAM_NODE_ID", nodeId);
        env.put("AGENTSTREAM_MODEL", "openai:gpt-test");
        env.put("OPENAI_BASE_URL", modelBaseUrl);
        env.put("OPENAI_API_KEY", "test-key");
        return env;
    }

    /** Starts a node on a free port and waits until it answers {@code /health}. */
    public static NodeProcess start(String name, Map<String, String> env) {
        return new NodeProcess(name, freePort(), env).launch();
    }

    /** Starts this node again, on the same port with the same environment (a restart). */
    public NodeProcess restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " still runs");
        }
        return launch();
    }

    private NodeProcess launch() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
            // The server's own logging (INFO), not the tests' quieter configuration on the same class path.
            "-Dlogback.configurationFile=logback.xml",
            "-cp", System.getProperty("java.class.path"), "dev.agentstream.server.Main");
        Map<String, String> environment = new HashMap<>(env);
        environment.put("AGENTSTREAM_PORT", String.valueOf(port));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(logFile.getParent());
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        await("node " + name + " answering /health (log: " + logFile.toAbsolutePath() + ")")
            .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> {
                if (!started.isAlive()) {
                    throw new IllegalStateException("node " + name + " exited with " + started.exitValue()
                        + "; see " + logFile.toAbsolutePath());
                }
                return healthy();
            });
        return this;
    }

    private boolean healthy() {
        try {
            return http.send(HttpRequest.newBuilder(uri("/health")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public int port() {
        return port;
    }

    public HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).build());
    }

    /** A streamed request; the caller closes the stream. */
    public SseStream stream(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return new SseStream(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kill -TERM} (what {@link Process#destroy()} sends on Linux): the process shuts down gracefully. Returns at once. */
    public void terminate() {
        if (process != null) {
            process.destroy();
        }
    }

    /**
     * Waits for the process to exit and returns its exit code.
     *
     * @throws AssertionError if it still runs after {@code timeout}
     */
    public int awaitExit(Duration timeout) {
        waitFor(timeout);
        if (process.isAlive()) {
            throw new AssertionError("node " + name + " still runs after " + timeout + "; see " + logFile.toAbsolutePath());
        }
        return process.exitValue();
    }

    /** The node's log so far. */
    public String log() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kill -9}: the process gets no chance to clean up. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(10));
        }
    }

    private void waitFor(Duration timeout) {
        try {
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitFor(Duration.ofSeconds(10));
            process.destroyForcibly();
        }
        http.close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
