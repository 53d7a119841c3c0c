package dev.agentstream.server.wire.agui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code @ag-ui/client}'s {@code HttpAgent}, run by Node from {@code src/test/node/agui/agui-client.mjs}
 * with a plan of runs (see the script), answering with what the client saw. The packages are
 * installed with {@code npm ci} (exact versions from the committed lock file) when
 * {@code node_modules} is missing. Without Node or npm the tests are skipped with a message,
 * except under {@code CI=true}, where that is a failure.
 */
final class NodeAgUiClient {

    static final Path FOLDER = Path.of("src", "test", "node", "agui");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MISSING = "node and npm (Node 20 or newer) were not found on the PATH:"
        + " the AG-UI client tests need them";

    private NodeAgUiClient() {
    }

    /** Makes sure Node and the client packages are there; skips the calling test class (fails under CI) if not. */
    static void install() throws IOException, InterruptedException {
        if (!works(List.of("node", "--version")) || !works(List.of("npm", "--version"))) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(MISSING + "; under CI=true they must run");
            }
            System.err.println("AG-UI client tests skipped: " + MISSING);
            Assumptions.abort(MISSING);
        }
        if (!Files.isDirectory(FOLDER.resolve("node_modules").resolve("@ag-ui").resolve("client"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(FOLDER.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci failed in " + FOLDER.toAbsolutePath());
            }
        }
    }

    /** Runs the plan and returns the script's report; fails with the script's stderr if it does not finish well. */
    static JsonNode run(JsonNode plan) throws IOException, InterruptedException {
        File stderr = File.createTempFile("agui-client", ".log");
        try {
            Process node = new ProcessBuilder("node", "agui-client.mjs").directory(FOLDER.toFile())
                .redirectError(stderr).start();
            try (OutputStream in = node.getOutputStream()) {
                in.write(JSON.writeValueAsBytes(plan));
            }
            byte[] out = node.getInputStream().readAllBytes();
            if (!node.waitFor(60, TimeUnit.SECONDS) || node.exitValue() != 0) {
                node.destroyForcibly();
                throw new AssertionError("agui-client.mjs failed: " + Files.readString(stderr.toPath())
                    + new String(out, StandardCharsets.UTF_8));
            }
            return JSON.readTree(out);
        } finally {
            stderr.delete();
        }
    }

    private static boolean works(List<String> command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
