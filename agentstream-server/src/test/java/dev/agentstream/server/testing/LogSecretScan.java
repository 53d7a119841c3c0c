package dev.agentstream.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads log files line by line for secrets: any of the given values, and whatever looks like a
 * credential whoever configured it (a JWT, a bearer credential, an OpenAI-style key). A finding
 * names the file, the line and what matched, masked, so the report does not repeat the secret.
 */
public final class LogSecretScan {

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern OPENAI_KEY = Pattern.compile("\\bsk-[A-Za-z0-9_-]{6,}");

    private LogSecretScan() {
    }

    /** The findings in every {@code *.log} file under {@code dirs} (missing folders are skipped). */
    public static List<String> scan(Collection<Path> dirs, Collection<String> secrets) {
        List<String> findings = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                    scanFile(file, secrets, findings);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return findings;
    }

    private static void scanFile(Path file, Collection<String> secrets, List<String> findings) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE);
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                for (String secret : secrets) {
                    if (line.contains(secret)) {
                        findings.add(file + ":" + number + ": a configured secret " + mask(secret));
                    }
                }
                for (Pattern pattern : List.of(JWT, BEARER, OPENAI_KEY)) {
                    Matcher m = pattern.matcher(line);
                    if (m.find()) {
                        findings.add(file + ":" + number + ": something like a credential " + mask(m.group()));
                    }
                }
            }
        }
    }

    private static String mask(String secret) {
        return "\"" + secret.substring(0, Math.min(3, secret.length())) + "…\" (" + secret.length() + " characters)";
    }
}
