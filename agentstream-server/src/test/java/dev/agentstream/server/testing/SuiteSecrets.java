package dev.agentstream.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The keys, secrets and tokens the tests configure, written down as they are made so that the check
 * that runs after the whole suite ({@code SuiteLogSecretsCheck}) knows what no log line may hold.
 * Values shorter than {@link #MIN_LENGTH} are not written: they would match ordinary words.
 *
 * <p>Thread contract: thread-safe.
 */
public final class SuiteSecrets {

    /** Where the suite's log and this list are written (surefire sets it; the same default otherwise). */
    public static final Path DIR = Path.of(System.getProperty("agentstream.test.logs", "target/test-logs"));
    public static final Path FILE = DIR.resolve("secrets.txt");
    static final int MIN_LENGTH = 6;

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Set<String> written = new HashSet<>();

    private SuiteSecrets() {
    }

    /** Notes {@code secrets} as configured somewhere in the suite. */
    public static void register(String... secrets) {
        LOCK.lock();
        try {
            StringBuilder lines = new StringBuilder();
            for (String secret : secrets) {
                if (secret != null && secret.strip().length() >= MIN_LENGTH && written.add(secret.strip())) {
                    lines.append(secret.strip()).append('\n');
                }
            }
            if (!lines.isEmpty()) {
                Files.createDirectories(DIR);
                Files.writeString(FILE, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            LOCK.unlock();
        }
    }

    /** Notes the keys of an API key spec, {@code user:key,user:key}. */
    public static void registerKeys(String spec) {
        for (String pair : spec.split(",")) {
            int colon = pair.indexOf(':');
            if (colon >= 0) {
                register(pair.substring(colon + 1));
            }
        }
    }

    /** What was noted so far, by every JVM of this build. */
    public static List<String> read() throws IOException {
        return Files.exists(FILE) ? Files.readAllLines(FILE, StandardCharsets.UTF_8) : List.of();
    }
}
