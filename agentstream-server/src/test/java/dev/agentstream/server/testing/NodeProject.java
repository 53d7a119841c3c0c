package dev.agentstream.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small Node project under {@code src/test/node/<folder>} (a {@code package.json} pinning exact
 * versions and its committed {@code package-lock.json}) whose scripts a test runs against a real
 * server: {@code npm ci} installs it once when {@code node_modules} is missing.
 *
 * <p>Without {@code node} or {@code npm} on the PATH the calling test is skipped with a message,
 * except under {@code CI=true}, where that is a failure: CI has Node.
 */
public final class NodeProject {

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);

    private final Path folder;

    private NodeProject(Path folder) {
        this.folder = folder;
    }

    /** The project in {@code src/test/node/<name>}, installed; skips the test when Node is missing (not on CI). */
    public static NodeProject installed(String name) {
        Path folder = Path.of("src", "test", "node", name).toAbsolutePath();
        if (!Files.isRegularFile(folder.resolve("package-lock.json"))) {
            throw new IllegalStateException("no package-lock.json in " + folder);
        }
        Optional<String> missing = missingTool();
        if (missing.isPresent()) {
            String message = missing.get() + " was not found on the PATH (install Node 20 or newer)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message + "; under CI=true the Node client tests must run");
            }
            System.err.println("skipped: " + message);
            Assumptions.abort(message + ": the Node client tests are skipped");
        }
        NodeProject project = new NodeProject(folder);
        if (!Files.isDirectory(folder.resolve("node_modules"))) {
            Result install = project.exec(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), INSTALL_TIMEOUT);
            if (install.exitCode() != 0) {
                throw new IllegalStateException("npm ci in " + folder + " failed: " + install.stderr());
            }
        }
        return project;
    }

    /** What a process printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** Runs {@code node <script>} with {@code env} added to this process's environment. */
    public Result node(String script, Map<String, String> env, Duration timeout) {
        return exec(List.of("node", script), env, timeout);
    }

    private Result exec(List<String> command, Map<String, String> env, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(folder.toFile());
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            // Both pipes are drained at once, so a chatty process never blocks on a full one.
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeout
                    + "; stderr: " + err.getNow(""));
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<String> drain(java.io.InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        });
        return text;
    }

    private static Optional<String> missingTool() {
        for (String tool : List.of("node", "npm")) {
            if (!onPath(tool)) {
                return Optional.of(tool);
            }
        }
        return Optional.empty();
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
