package dev.agentstream.server.wire.aisdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs {@code src/test/node/aisdk/chat-client.mjs}, the AI SDK's own chat client (the pinned {@code ai}
 * package), for one scenario and returns the JSON it prints. Installs the pinned packages with
 * {@code npm ci} the first time. Without Node and npm the tests are skipped with a message, except
 * under {@code CI=true}, where that is a failure.
 *
 * <p>Thread contract: thread-safe; the install happens once per JVM.
 */
final class NodeChatClient implements ExecutionCondition {

    static final Path FOLDER = Path.of("src", "test", "node", "aisdk").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MISSING = "node and npm were not found on PATH (install Node 20 or newer)";
    private static final ReentrantLock INSTALL = new ReentrantLock();
    private static boolean installed;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if ((executable("node").isPresent() && executable("npm").isPresent()) || onCi()) {
            return ConditionEvaluationResult.enabled("node and npm found (or CI=true)");
        }
        System.err.println(context.getDisplayName() + ": skipped: " + MISSING);
        return ConditionEvaluationResult.disabled(MISSING + ": the AI SDK client tests are skipped");
    }

    /** Runs one scenario with these arguments and returns {@code result}, failing on a client-side failure. */
    static JsonNode run(Map<String, Object> args) {
        JsonNode out = runRaw(args);
        if (!out.path("ok").asBoolean()) {
            throw new AssertionError("the AI SDK client failed: " + out.path("failure").asText() + "\n" + out.toPrettyString());
        }
        return out;
    }

    /** Runs one scenario and returns everything it printed ({@code ok}, {@code result}, {@code exchanges}, …). */
    static JsonNode runRaw(Map<String, Object> args) {
        install();
        try {
            Process process = new ProcessBuilder(command("node"), "chat-client.mjs", JSON.writeValueAsString(args))
                .directory(FOLDER.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
            byte[] stdout = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the AI SDK client did not finish within 60 s");
            }
            String text = new String(stdout, StandardCharsets.UTF_8).strip();
            String last = text.substring(text.lastIndexOf('\n') + 1);
            return JSON.readTree(last);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code npm ci} once, when the pinned packages are not there yet. */
    private static void install() {
        INSTALL.lock();
        try {
            if (!installed && !Files.isDirectory(FOLDER.resolve("node_modules").resolve("ai"))) {
                npmCi();
            }
            installed = true;
        } finally {
            INSTALL.unlock();
        }
    }

    private static void npmCi() {
        try {
            Process npm = new ProcessBuilder(command("npm"), "ci", "--no-audit", "--no-fund")
                .directory(FOLDER.toFile())
                .redirectErrorStream(true)
                .start();
            String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci in " + FOLDER + " failed:\n" + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("npm ci in " + FOLDER + " failed; " + MISSING, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String command(String name) {
        return executable(name).map(Path::toString).orElseThrow(() -> new IllegalStateException(MISSING
            + (onCi() ? "; under CI=true the AI SDK client tests must run" : "")));
    }

    private static Optional<Path> executable(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
            .map(dir -> Path.of(dir, name))
            .filter(Files::isExecutable)
            .findFirst();
    }

    private static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
