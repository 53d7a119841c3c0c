package dev.agentstream.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import dev.agentstream.server.testing.SuiteSecrets;
import dev.agentstream.server.testing.Tokens;
import dev.agentstream.testkit.OpenAiError;
import dev.agentstream.server.testing.WebhookReceiver;
import dev.agentstream.server.webhook.WebhookSignature;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ScriptedOpenAiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Starts the server as {@code java -jar} does, with API keys, a JWT secret, an OpenAI key, a webhook secret and a
 * metrics token, uses
 * them all, good and bad, and reads every log line written meanwhile, at every level: none holds a
 * key, the secret or a token.
 */
@Timeout(60)
class SecretsNotLoggedTest {

    static final String API_KEY = "key-alice-7f3c9a1e";
    static final String OPENAI_KEY = "sk-openai-5d2b8e4f";
    static final String WEBHOOK_SECRET = "whsec-0f9e8d7c6b5a49382716-long-enough";
    static final String METRICS_TOKEN = "metrics-scrape-2e7d1c90b4";

    @TempDir
    Path folder;

    @Test
    void noKeySecretOrTokenReachesALogLine() throws Exception {
        SuiteSecrets.register(API_KEY, OPENAI_KEY, METRICS_TOKEN);
        String goodToken = Tokens.hs256(Tokens.claims("bob").build());
        String forgedToken = Tokens.hs256("another-secret-that-is-long-enough!", Tokens.claims("bob").build());
        String[] signature = new String[1];
        List<ILoggingEvent> lines = captureLogs(() -> {
            try (ScriptedOpenAiServer upstream = ScriptedOpenAiServer.start();
                 WebhookReceiver receiver = WebhookReceiver.start().answer(500);
                 Main.Running running = Main.start(Map.ofEntries(
                     Map.entry("AGENTSTREAM_PORT", "0"),
                     Map.entry("AGENTSTREAM_DB", "jdbc:sqlite:" + folder.resolve("secrets.db")),
                     Map.entry("AGENTSTREAM_API_KEYS", "alice:" + API_KEY),
                     Map.entry("AGENTSTREAM_JWT_SECRET", Tokens.SECRET),
                     Map.entry("AGENTSTREAM_MODEL", "openai:gpt-test"),
                     Map.entry("OPENAI_API_KEY", OPENAI_KEY),
                     Map.entry("OPENAI_BASE_URL", upstream.baseUrl()),
                     Map.entry("AGENTSTREAM_WEBHOOK_SECRET", WEBHOOK_SECRET),
                     Map.entry("AGENTSTREAM_WEBHOOK_BACKOFF", "100ms"),
                     Map.entry("AGENTSTREAM_METRICS_TOKEN", METRICS_TOKEN)));
                 HttpClient http = HttpClient.newHttpClient()) {
                upstream.enqueue(Script.text("Hello"), Script.text("Hello"));
                // The model server refuses the key and quotes it, as some do: the run's error must not.
                upstream.enqueue(Script.httpError(401, OpenAiError.body("Incorrect API key provided: " + OPENAI_KEY,
                    "invalid_request_error", "invalid_api_key")));
                // The run a webhook is named for.
                upstream.enqueue(Script.text("Hello"));
                URI base = running.server().baseUri();
                for (String credential : List.of(METRICS_TOKEN, METRICS_TOKEN + "x")) {
                    http.send(HttpRequest.newBuilder(base.resolve("/metrics")).header("Authorization", "Bearer " + credential)
                        .build(), HttpResponse.BodyHandlers.ofString());
                }
                for (String credential : List.of(API_KEY, goodToken, forgedToken, API_KEY + "x", "garbage." + goodToken)) {
                    http.send(HttpRequest.newBuilder(base.resolve("/v1/agents/assistant/runs"))
                        .header("Authorization", "Bearer " + credential)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hi\",\"stream\":false}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                }
                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(base.resolve("/v1/agents/assistant/runs"))
                    .header("Authorization", "Bearer " + API_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hi\",\"stream\":false}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(refused.body()).contains("the model answered HTTP 401: Incorrect API key provided: sk-***")
                    .doesNotContain(OPENAI_KEY);
                // A webhook whose first attempt fails, so that the failure is logged.
                http.send(HttpRequest.newBuilder(base.resolve("/v1/agents/assistant/runs"))
                    .header("Authorization", "Bearer " + API_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hi\",\"background\":true,\"webhook\":\""
                        + receiver.url() + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
                signature[0] = receiver.await(2, Duration.ofSeconds(20)).getFirst().header(WebhookSignature.HEADER);
            }
        });

        assertThat(lines).as("the start is logged, so the capture works")
            .anySatisfy(line -> assertThat(line.getFormattedMessage()).contains("jwt=HS256"));
        assertThat(lines).as("the failed webhook attempt is logged")
            .anySatisfy(line -> assertThat(line.getFormattedMessage()).contains("attempt 1 of 8 failed: HTTP 500"));
        for (ILoggingEvent line : lines) {
            String text = line.getFormattedMessage()
                + (line.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(line.getThrowableProxy()));
            assertThat(text).as(line.getLoggerName())
                .doesNotContain(API_KEY, Tokens.SECRET, OPENAI_KEY, goodToken, forgedToken, WEBHOOK_SECRET, signature[0],
                    METRICS_TOKEN);
        }
    }

    /** Runs {@code action} with every logger at DEBUG, and returns what it logged (kept off the console). */
    private static List<ILoggingEvent> captureLogs(ThrowingRunnable action) throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger agentstream = (Logger) LoggerFactory.getLogger("dev.agentstream");
        Level rootLevel = root.getLevel();
        Level agentstreamLevel = agentstream.getLevel();
        Appender<ILoggingEvent> console = root.getAppender("STDOUT");
        ListAppender<ILoggingEvent> capture = new ListAppender<>();
        capture.start();
        root.addAppender(capture);
        if (console != null) {
            root.detachAppender(console);
        }
        root.setLevel(Level.DEBUG);
        agentstream.setLevel(Level.DEBUG);
        try {
            action.run();
        } finally {
            root.setLevel(rootLevel);
            agentstream.setLevel(agentstreamLevel);
            if (console != null) {
                root.addAppender(console);
            }
            root.detachAppender(capture);
            capture.stop();
        }
        synchronized (capture) {
            return List.copyOf(capture.list);
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
