package dev.agentstream.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentstream.Agent;
import dev.agentstream.server.AgentstreamServer;
import dev.agentstream.server.auth.ApiKeys;
import dev.agentstream.server.auth.MetricsToken;
import dev.agentstream.store.Storage;
import dev.agentstream.store.StorageOptions;
import dev.agentstream.testkit.DemoChatModel;
import dev.agentstream.testkit.DemoTools;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server on a free loopback port, over a real SQLite file in a temporary folder, serving the
 * demo {@code assistant} (and any agents a test adds), with a JDK HttpClient to talk to it.
 *
 * <p>Either started at once ({@link Builder#start()}, closed by the test) or shared by a test class
 * as an extension ({@code @RegisterExtension static final TestServer server = TestServer.builder().shared();}),
 * started before its first test and closed after its last.
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Builder options;
    private Path folder;
    private boolean ownsFolder;
    private Storage storage;
    private AgentstreamServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(Builder options) {
        this.options = options;
    }

    private TestServer open() {
        try {
            ownsFolder = options.folder == null;
            folder = ownsFolder ? Files.createTempDirectory("agentstream-server-test") : options.folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        storage = Storage.open(options.storage.apply(StorageOptions.builder()
            .jdbcUrl(jdbcUrl())
            .flushInterval(Duration.ofMillis(50)))
            .build());
        AgentstreamServer.Builder builder = AgentstreamServer.builder()
            .port(0)
            .storage(storage)
            .agent(demoAgent(options.wordDelay));
        options.agents.forEach(builder::agent);
        server = options.customize.apply(builder).start();
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        open();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** The demo assistant, streaming a word per {@code wordDelay}. */
    public static Agent demoAgent(Duration wordDelay) {
        return Agent.builder()
            .id("assistant")
            .instructions("You are a helpful assistant.")
            .model(DemoChatModel.builder().wordDelay(wordDelay).build())
            .modelName(DemoChatModel.MODEL_NAME)
            .tools(new DemoTools())
            .requireConfirmation("send_email")
            .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static TestServer start() {
        return builder().start();
    }

    public AgentstreamServer server() {
        return server;
    }

    public Storage storage() {
        return storage;
    }

    /** The JDBC URL of the server's SQLite file, to open another connection to it. */
    public String jdbcUrl() {
        return "jdbc:sqlite:" + folder.resolve("agentstream.db");
    }

    /** The folder of the database, to open another server over the same file. */
    public Path folder() {
        return folder;
    }

    public URI uri(String path) {
        return server.baseUri().resolve(path);
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    public HttpResponse<String> delete(String path, String... headers) {
        return send(request(path, headers).DELETE().build());
    }

    public HttpResponse<String> post(String path, String json, String... headers) {
        return send(request(path, headers).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** POSTs and reads the answer as SSE. */
    public SseStream postStream(String path, String json, String... headers) {
        return stream(request(path, headers).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** GETs and reads the answer as SSE. */
    public SseStream getStream(String path, String... headers) {
        return stream(request(path, headers).GET().build());
    }

    /** Starts a streamed run of the assistant. */
    public SseStream run(String json, String... headers) {
        return postStream("/v1/agents/assistant/runs", json, headers);
    }

    public SseStream stream(HttpRequest request) {
        try {
            return new SseStream(http.send(request, HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** GET as JSON, asserting the status. */
    public JsonNode getJson(String path, int status, String... headers) {
        HttpResponse<String> response = get(path, headers);
        if (response.statusCode() != status) {
            throw new AssertionError("GET " + path + ": " + response.statusCode() + " " + response.body()
                + " (expected: " + status + ")");
        }
        return json(response);
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            storage.close();
            http.close();
            if (ownsFolder) {
                deleteQuietly(folder);
            }
        }
    }

    /** Deletes a database folder given to {@link Builder#folder}. */
    public static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary folder: nothing to do.
        }
    }

    /** Options for a {@link TestServer}. */
    public static final class Builder {
        private Path folder;
        private UnaryOperator<AgentstreamServer.Builder> customize = b -> b;
        private UnaryOperator<StorageOptions.Builder> storage = b -> b;
        private Duration wordDelay = Duration.ofMillis(5);
        private final List<Agent> agents = new ArrayList<>();

        /** Uses this database folder (to restart over the same file); the caller deletes it. */
        public Builder folder(Path existing) {
            this.folder = existing;
            return this;
        }

        public Builder wordDelay(Duration delay) {
            this.wordDelay = delay;
            return this;
        }

        public Builder agent(Agent agent) {
            agents.add(agent);
            return this;
        }

        public Builder apiKeys(String spec) {
            SuiteSecrets.registerKeys(spec);
            UnaryOperator<AgentstreamServer.Builder> before = customize;
            customize = b -> before.apply(b).apiKeys(ApiKeys.parse(spec));
            return this;
        }

        /** Requires {@code token} of {@code /metrics} callers (noted for the suite's log check). */
        public Builder metricsToken(String token) {
            SuiteSecrets.register(token);
            UnaryOperator<AgentstreamServer.Builder> before = customize;
            customize = b -> before.apply(b).metricsToken(MetricsToken.of(token));
            return this;
        }

        /** Adjusts the storage's options (sync timeout, …) after the test defaults. */
        public Builder storage(UnaryOperator<StorageOptions.Builder> more) {
            this.storage = more;
            return this;
        }

        public Builder customize(UnaryOperator<AgentstreamServer.Builder> more) {
            UnaryOperator<AgentstreamServer.Builder> before = customize;
            customize = b -> more.apply(before.apply(b));
            return this;
        }

        /** Starts a server now; the caller closes it. */
        public TestServer start() {
            return new TestServer(this).open();
        }

        /** A server a test class registers as an extension: started before all its tests, closed after. */
        public TestServer shared() {
            return new TestServer(this);
        }
    }

    /** Drains an input stream; for raw-socket tests. */
    public static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
