package dev.agentstream.http;

import dev.langchain4j.http.client.HttpClientBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Builds a {@link ModelHttpClient}. LangChain4j models set the timeouts they were given: the
 * connect timeout bounds opening a connection, the read timeout is an idle timeout (no byte for
 * that long, waiting for the answer or inside a stream, fails the call).
 *
 * <p>Not thread-safe; build once and share the client.
 */
public final class ModelHttpClientBuilder implements HttpClientBuilder {

    /**
     * Jetty's threads: its selector and the short tasks that hand received bytes to the parsing
     * threads. A fixed, small number, whatever the number of streams.
     */
    private static final int JETTY_THREADS = 8;
    /** Every stream holds its connection for its whole life, so the per-host limit must not queue them. */
    private static final int MAX_CONNECTIONS_PER_HOST = 65_536;

    private Duration connectTimeout;
    private boolean connectTimeoutPinned;
    private Duration readTimeout;

    ModelHttpClientBuilder() {
    }

    @Override
    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public ModelHttpClientBuilder connectTimeout(Duration timeout) {
        if (!connectTimeoutPinned) {
            this.connectTimeout = timeout;
        }
        return this;
    }

    /**
     * Sets a connect timeout that the model's own settings do not replace. LangChain4j's OpenAI
     * models set one timeout for connecting and reading alike, and 15 s to connect when given none;
     * pinned, the connect timeout can be short while the read timeout stays long.
     */
    public ModelHttpClientBuilder pinConnectTimeout(Duration timeout) {
        this.connectTimeout = java.util.Objects.requireNonNull(timeout, "timeout");
        this.connectTimeoutPinned = true;
        return this;
    }

    @Override
    public Duration readTimeout() {
        return readTimeout;
    }

    @Override
    public ModelHttpClientBuilder readTimeout(Duration timeout) {
        this.readTimeout = timeout;
        return this;
    }

    /** Builds the client; it shares its Jetty client with every other built with the same connect timeout. */
    @Override
    public ModelHttpClient build() {
        return new ModelHttpClient(SHARED.computeIfAbsent(Optional.ofNullable(connectTimeout), ModelHttpClientBuilder::start),
            connectTimeout, readTimeout);
    }

    /**
     * One started Jetty client per connect timeout (Jetty sets it per client, not per request), for
     * the life of the process: models are built once and live as long as it, and a client per model
     * would be a selector and a thread pool per model.
     */
    private static final Map<Optional<Duration>, org.eclipse.jetty.client.HttpClient> SHARED = new ConcurrentHashMap<>();

    private static org.eclipse.jetty.client.HttpClient start(Optional<Duration> connectTimeout) {
        QueuedThreadPool threads = new QueuedThreadPool(JETTY_THREADS, 2);
        threads.setName("agentstream-model-http");
        threads.setDaemon(true);
        org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient();
        jetty.setExecutor(threads);
        jetty.setScheduler(new ScheduledExecutorScheduler("agentstream-model-http-scheduler", true));
        jetty.setMaxConnectionsPerDestination(MAX_CONNECTIONS_PER_HOST);
        jetty.setMaxRequestsQueuedPerDestination(MAX_CONNECTIONS_PER_HOST);
        connectTimeout.ifPresent(timeout -> jetty.setConnectTimeout(timeout.toMillis()));
        try {
            jetty.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the model HTTP client", e);
        }
        // A model API's 401 or 3xx is an answer for the caller, as with LangChain4j's JDK client:
        // no authentication retries, no redirects.
        jetty.getProtocolHandlers().clear();
        return jetty;
    }
}
