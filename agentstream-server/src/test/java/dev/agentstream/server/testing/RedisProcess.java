package dev.agentstream.server.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Redis of a test's own: {@code redis-server} as a child process on a free loopback port, with no
 * persistence, that the test can {@link #kill()} and {@link #restart()} on the same port (an outage).
 * When the binary is missing the test is skipped, except in CI ({@code CI=true}), where it fails.
 */
public final class RedisProcess implements AutoCloseable {

    private final int port;
    private final Path logFile;
    private Process process;

    private RedisProcess(int port) {
        this.port = port;
        this.logFile = Path.of("target", "nodes", "redis-" + port + ".log");
    }

    /**
     * Starts {@code redis-server} on a free port and waits until it answers PING; tries another port
     * if another process took the one chosen in the meantime.
     */
    public static RedisProcess start() {
        IllegalStateException lastFailure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return new RedisProcess(freePort()).launch();
            } catch (IllegalStateException e) {
                lastFailure = e;
            }
        }
        throw lastFailure;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RedisProcess launch() {
        ProcessBuilder builder = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no");
        try {
            Files.createDirectories(logFile.getParent());
            process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        } catch (IOException e) {
            String message = "redis-server cannot be started (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message + "; in CI the Redis outage tests must run", e);
            }
            Assumptions.abort(message + "; skipping (set CI=true to make this a failure)");
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        await("redis-server on port " + port + " answering PING (log: " + logFile.toAbsolutePath() + ")")
            .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!started.isAlive()) {
                    throw new IllegalStateException("redis-server exited with " + started.exitValue() + "; see "
                        + logFile.toAbsolutePath());
                }
                return answersPing();
            });
        return this;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** {@code kill -9}: every connection drops, every key is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts Redis again on the same port, empty. */
    public void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " still runs");
        }
        launch();
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(7);
            return new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (process != null) {
            kill();
        }
    }
}
