package dev.agentstream.server;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.agentstream.Agent;
import dev.agentstream.Member;
import dev.agentstream.Team;
import dev.agentstream.AgentRuntime;
import dev.agentstream.RunHandle;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.run.CancellationBus;
import dev.agentstream.run.HistoryProvider;
import dev.agentstream.run.RunObserver;
import dev.agentstream.server.auth.ApiKeys;
import dev.agentstream.server.auth.Auth;
import dev.agentstream.server.auth.JwtVerifier;
import dev.agentstream.server.auth.MetricsToken;
import dev.agentstream.server.http.Cors;
import dev.agentstream.server.http.ErrorMapping;
import dev.agentstream.server.http.JsonBodies;
import dev.agentstream.server.http.JettyErrorBodies;
import dev.agentstream.server.http.HttpLimits;
import dev.agentstream.server.http.JettyLimits;
import dev.agentstream.server.http.JsonReplies;
import dev.agentstream.server.http.PathEncoding;
import dev.agentstream.server.http.SecurityHeaders;
import dev.agentstream.redis.RunStreams;
import dev.agentstream.server.metrics.ServerMetrics;
import dev.agentstream.server.run.RunIntake;
import dev.agentstream.server.run.RunLimits;
import dev.agentstream.server.run.Peers;
import dev.agentstream.server.run.RunService;
import dev.agentstream.server.run.StorageWatch;
import dev.agentstream.server.sse.SseStreamer;
import dev.agentstream.server.sse.WriteWatchdog;
import dev.agentstream.server.wire.WireContext;
import dev.agentstream.server.wire.openai.OpenAiRoutes;
import dev.agentstream.server.wire.agui.AgUiRoutes;
import dev.agentstream.server.wire.agentos.AgentOsRoutes;
import dev.agentstream.server.wire.aisdk.AiSdkRoutes;
import dev.agentstream.server.wire.v1.V1Routes;
import dev.agentstream.store.SessionStore;
import dev.agentstream.store.Storage;
import dev.agentstream.store.StorageHealth;
import dev.agentstream.store.StorageOptions;
import dev.agentstream.store.StorageStats;
import dev.agentstream.store.WebhookDeliveries;
import dev.agentstream.server.webhook.WebhookConfig;
import dev.agentstream.server.webhook.WebhookDispatcher;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agentstream HTTP server: the native {@code /v1} API over SSE, health, Prometheus metrics,
 * the OpenAPI document and the chat page, on Javalin with a virtual thread per request.
 *
 * <pre>{@code
 * try (Storage storage = Storage.open(StorageOptions.builder().jdbcUrl("jdbc:sqlite:./agentstream.db").build());
 *      AgentstreamServer server = AgentstreamServer.builder()
 *          .agent(myAgent)
 *          .storage(storage)
 *          .port(7777)
 *          .start()) {
 *     server.awaitShutdown();
 * }
 * }</pre>
 *
 * <p>Thread contract: thread-safe. {@link #close()} refuses new runs (503), gives the runs going
 * the shutdown grace to finish, stops those still going (they end with {@code RunCancelled},
 * reason {@code shutdown}, stored as INTERRUPTED), lets every open stream send its last event, then
 * stops the HTTP server; it is idempotent. Storage handed to the builder stays open: close it after
 * the server.
 */
public final class AgentstreamServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentstreamServer.class);
    static final String LOOPBACK = "127.0.0.1";
    /** Runs one node has going at once, unless configured. */
    public static final int DEFAULT_MAX_ACTIVE_RUNS = 1000;
    /** Runs one user has going at once on a node, unless configured. */
    public static final int DEFAULT_MAX_RUNS_PER_USER = 20;
    /** How much of one run's events may wait for an unavailable database: the run's own event log holds as much. */
    static final long MAX_EVENT_BYTES_PER_RUN = 1L << 20;

    private final Javalin app;
    private final AgentRuntime runtime;
    private final RunService runs;
    private final ServerMetrics metrics;
    private final SseStreamer streamer;
    private final WriteWatchdog writeWatchdog;
    private final RunIntake intake = new RunIntake();
    private final Duration shutdownGrace;
    private final ScheduledExecutorService housekeeping;
    /** Null when webhooks are off. */
    private final WebhookDispatcher webhooks;
    private final List<AutoCloseable> owned;
    private final String host;
    private final MetricsToken metricsToken;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private AgentstreamServer(Builder b, Backend backend) {
        this.host = b.host;
        this.metricsToken = b.metricsToken;
        this.shutdownGrace = b.shutdownGrace;
        this.owned = backend.owned();
        this.metrics = new ServerMetrics();
        AgentRuntime.Builder runtimeBuilder = AgentRuntime.builder()
            .observer(metrics.timed(backend.recorder()))
            .observer(metrics.runObserver())
            .history(backend.history())
            .replay(backend.store())
            .retention(b.retention)
            // The store holds every event of an ended run (its end is committed before readers see
            // it), so memory keeps them only briefly for readers finishing up; later ones replay.
            .endedLogRetention(b.endedEventsInMemory)
            // Likewise a very long answer keeps only its last stretch of events in memory.
            .maxEventBytesPerRun(MAX_EVENT_BYTES_PER_RUN)
            .modelIdleTimeout(b.upstream.idleTimeout())
            .upstreamRetries(b.upstream.retries())
            .toolTimeout(b.upstream.toolTimeout());
        if (b.cancellationBus != null) {
            runtimeBuilder.cancellationBus(b.cancellationBus);
        }
        if (b.eventStreams != null) {
            // After the recorder: a run's start and end are committed before readers elsewhere see them.
            runtimeBuilder.observer(b.eventStreams.publisher());
            metrics.watch(b.eventStreams);
        }
        this.runtime = runtimeBuilder.build();
        metrics.watch(runtime);
        metrics.watch(backend.stats());
        metrics.watchPool(backend.pool());
        this.runs = new RunService(runtime, backend.store(), b.agents, b.maxWaitingPerSession, b.cancelWait,
            b.storePoll, metrics, new RunLimits(b.maxActiveRuns, b.maxRunsPerUser), b.peers, b.eventStreams,
            b.webhooks.enabled() ? backend.webhooks() : null, intake);
        this.webhooks = b.webhooks.enabled()
            ? new WebhookDispatcher(backend.webhooks(), backend.store(), id -> b.agents.get(id) instanceof Team,
                b.webhooks).start()
            : null;
        this.writeWatchdog = new WriteWatchdog(b.sseWriteTimeout);
        this.streamer = new SseStreamer(b.heartbeat, b.disconnectProbe, metrics, runs, writeWatchdog);
        StorageWatch storageWatch = new StorageWatch(backend.health(), backend.unwrittenBytes(), runtime, intake, metrics,
            b.persistGrace, b.maxUnwrittenBytesPerRun);
        WireContext wire = new WireContext(runs, streamer, new JsonBodies(b.limits.maxBodyBytes()));
        Auth auth = new Auth(b.apiKeys, b.jwt);
        Cors cors = Cors.allowing(b.corsOrigins);
        byte[] openApi = resource("openapi.json");
        this.app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = b.limits.maxBodyBytes();
            // Header size, idle and read timeouts: silent or trickling sockets are closed, never pile up.
            JettyLimits.apply(config.jetty, b.limits);
            config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            // Rejections Jetty makes before any route (a bad URI or header) carry the JSON error body too.
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrorBodies()));
            config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JettyErrorBodies()));
            // Form bodies (AgentOS runs) are bounded like JSON ones, and kept in memory, never on disk.
            config.jetty.multipartConfig.maxTotalRequestSize(b.limits.maxBodyBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(b.limits.maxBodyBytes(), Integer.MAX_VALUE), SizeUnit.BYTES);
            config.jetty.modifyServletContextHandler(handler -> handler.setMaxFormContentSize((int) Math.min(b.limits.maxBodyBytes(), Integer.MAX_VALUE)));
            // The chat page's libraries (marked, DOMPurify) at /webjars/<name>/<version>/…, from their jars.
            config.staticFiles.enableWebjars();
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/web";
                files.location = Location.CLASSPATH;
                files.headers = SecurityHeaders.forPage(files.headers);
            });
            RoutesConfig routing = config.routes;
            routing.before(SecurityHeaders::everyResponse);
            routing.before(cors);
            routing.before("/v1/*", auth);
            V1Routes.register(routing, wire);
            OpenAiRoutes.register(routing, wire);
            routing.before("/agui/*", auth);
            AgUiRoutes.register(routing, wire);
            AgentOsRoutes.register(routing, wire, auth);
            AiSdkRoutes.register(routing, wire);
            routing.get("/health", ctx -> health(ctx, backend.health().get(), b.peers));
            routing.before("/metrics", b.metricsToken);
            routing.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape()));
            routing.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            // After the formats' own filters, so the refusal is in their error shape.
            routing.before(PathEncoding::requireValid);
            ErrorMapping.register(routing, OpenAiRoutes.ERROR_BODIES);
        });
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
            .name("agentstream-server-housekeeping").daemon(true).factory());
        // Forgets ended runs the runtime dropped: as often as the retention, so a short one frees memory soon.
        long sweepMillis = Math.min(TimeUnit.MINUTES.toMillis(1), b.retention.toMillis());
        housekeeping.scheduleWithFixedDelay(runs::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        long watchEvery = storageWatch.period().toMillis();
        housekeeping.scheduleWithFixedDelay(storageWatch::check, watchEvery, watchEvery, TimeUnit.MILLISECONDS);
    }

    /**
     * 200 while the node takes runs; 503 while it shuts down or its storage has been away past the
     * grace, so that a load balancer sends new runs elsewhere. {@code storage} says whether writes
     * reach the database ({@code retrying} within the grace: runs go on, their rows wait).
     */
    /**
     * What {@code /health} says: 200 while the node takes runs, 503 while it does not (storage away
     * past the grace: {@code degraded}; shutting down: {@code draining}). Redis away keeps the 200
     * (its local runs stream and persist without it) but says {@code degraded} and {@code "redis":
     * "down"}, since operations across nodes answer 503 meanwhile.
     */
    private void health(Context ctx, StorageHealth storage, Peers peers) {
        RunIntake.State state = intake.state();
        boolean redisUp = peers.reachable();
        String status = switch (state) {
            case OPEN -> redisUp ? "ok" : "degraded";
            case DRAINING -> "draining";
            case STORAGE_UNAVAILABLE -> "degraded";
        };
        String storageStatus = storage.writing() ? "ok"
            : state == RunIntake.State.STORAGE_UNAVAILABLE ? "unavailable" : "retrying";
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", status);
        health.put("active_runs", runtime.activeRunIds().size());
        health.put("storage", storageStatus);
        health.put("storage_unavailable_ms", storage.unavailableFor().toMillis());
        if (peers.clustered()) {
            health.put("redis", redisUp ? "up" : "down");
        }
        JsonReplies.json(ctx, state == RunIntake.State.OPEN ? 200 : 503, health);
    }

    public static Builder builder() {
        return new Builder();
    }

    private AgentstreamServer startServer(int port) {
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("agentstream listening on http://{}:{} with agents {}", host, app.port(), runs.agents().keySet());
        if (!metricsToken.required()) {
            // Fine for a scrape on a private port; said once, so an exposed one is noticed.
            LOG.info("/metrics is open to any caller (set AGENTSTREAM_METRICS_TOKEN to require a bearer token)");
        }
        return this;
    }

    /** The port listened on (the one chosen by the system when the builder asked for 0). */
    public int port() {
        return app.port();
    }

    /** The address listened on. */
    public String host() {
        return host;
    }

    /** The base URI, e.g. {@code http://127.0.0.1:7777}. */
    public URI baseUri() {
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /** The routes served, as {@code "GET /v1/agents"}, for documentation checks and logs. */
    public List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
            .map(parsed -> parsed.endpoint)
            .filter(endpoint -> endpoint.method.isHttpMethod())
            .map(endpoint -> endpoint.method.name() + " " + endpoint.path)
            .sorted()
            .toList();
    }

    /** The runtime executing this server's runs. */
    public AgentRuntime runtime() {
        return runtime;
    }

    /** Blocks the calling thread until {@link #close()} ran (e.g. from a shutdown hook). */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    /** Stops runs (reason {@code shutdown}), then HTTP; closes what the server opened itself. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        intake.drain();
        runs.cancelWaiting(RunCancelled.REASON_SHUTDOWN);
        List<RunHandle> going = new ArrayList<>();
        for (String runId : runtime.activeRunIds()) {
            runtime.find(runId).ifPresent(going::add);
        }
        awaitEnds(going, shutdownGrace);
        runtime.close();
        // Let the runs write their RunCancelled and the open streams send it, before HTTP stops.
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        try {
            for (RunHandle handle : going) {
                try {
                    handle.segmentEnd().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    LOG.debug("run {} did not end within the shutdown wait", handle.runId());
                }
            }
            if (!streamer.awaitDrained(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                LOG.debug("some streams were still open when HTTP stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        housekeeping.shutdownNow();
        writeWatchdog.close();
        RuntimeException failure = null;
        try {
            app.stop();
        } catch (RuntimeException e) {
            failure = e;
        }
        runs.close();
        if (webhooks != null) {
            // Attempts cut short here lapse with their claim and are made again by a node that runs.
            webhooks.close();
        }
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the server failed");
                }
                failure.addSuppressed(e);
            }
        }
        LOG.info("agentstream stopped");
        stopped.countDown();
        if (failure != null) {
            throw failure;
        }
    }

    /** Gives the runs going up to {@code grace} to end by themselves (paused runs count as ended). */
    private static void awaitEnds(List<RunHandle> going, Duration grace) {
        if (grace.isZero() || going.isEmpty()) {
            return;
        }
        LOG.info("shutting down: new runs get 503; {} runs going get up to {} ms to finish", going.size(), grace.toMillis());
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            for (RunHandle handle : going) {
                try {
                    handle.segmentEnd().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    LOG.debug("run {} failed while the server shut down", handle.runId());
                }
            }
        } catch (TimeoutException e) {
            LOG.info("shutdown grace over: stopping the runs still going");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = AgentstreamServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource missing from the jar: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where runs are stored and how earlier messages reach a new run.
     *
     * @param pool takes the tracker that reports the connection pool's figures
     * @param owned opened by the server, closed with it
     */
    record Backend(SessionStore store, RunObserver recorder, HistoryProvider history, Supplier<StorageStats> stats,
                   Supplier<StorageHealth> health, ToLongFunction<String> unwrittenBytes,
                   Consumer<MetricsTrackerFactory> pool, WebhookDeliveries webhooks, List<AutoCloseable> owned) {

        static Backend of(Storage storage, boolean owned) {
            return new Backend(storage.store(), storage.recorder(), storage.recorder(), storage::stats, storage::health,
                storage::unwrittenBytes, storage::trackPoolMetrics, storage.webhooks(), owned ? List.of(storage) : List.of());
        }
    }

    /** Configures and starts an {@link AgentstreamServer}; not thread-safe. */
    public static final class Builder {
        private String host = LOOPBACK;
        private int port = 7777;
        private final Map<String, Member> agents = new LinkedHashMap<>();
        private Backend backend;
        private StorageOptions storageOptions;
        private ApiKeys apiKeys = ApiKeys.none();
        private JwtVerifier jwt;
        private MetricsToken metricsToken = MetricsToken.open();
        private List<String> corsOrigins = Cors.DEFAULT_ORIGINS;
        private HttpLimits limits = HttpLimits.DEFAULT;
        private Duration heartbeat = Duration.ofSeconds(15);
        private Duration disconnectProbe = Duration.ofMillis(300);
        private Duration retention = Duration.ofMinutes(10);
        private Duration endedEventsInMemory = Duration.ofSeconds(10);
        private Duration cancelWait = Duration.ofSeconds(2);
        private Duration storePoll = Duration.ofMillis(500);
        private int maxWaitingPerSession = 16;
        private int maxActiveRuns = DEFAULT_MAX_ACTIVE_RUNS;
        private int maxRunsPerUser = DEFAULT_MAX_RUNS_PER_USER;
        private Duration persistGrace = Duration.ofSeconds(30);
        private long maxUnwrittenBytesPerRun = MAX_EVENT_BYTES_PER_RUN;
        private Duration sseWriteTimeout = Duration.ofSeconds(30);
        private Duration shutdownGrace = Duration.ZERO;
        private CancellationBus cancellationBus;
        private Peers peers = Peers.none();
        private RunStreams eventStreams;
        private UpstreamSettings upstream = UpstreamSettings.DEFAULTS;
        private WebhookConfig webhooks = WebhookConfig.off();

        private Builder() {
        }

        /** The nodes this one shares its database with (default: none, it works alone). */
        public Builder peers(Peers peers) {
            this.peers = requireNonNull(peers, "peers");
            return this;
        }

        /**
         * Copies every run's events to its Redis stream, and follows runs executing on other nodes
         * there instead of polling the store (default: none). Stays open when the server closes:
         * close it after the server.
         */
        public Builder eventStreams(RunStreams streams) {
            this.eventStreams = requireNonNull(streams, "streams");
            return this;
        }

        /**
         * How runs meet a misbehaving model or tool: retries of a call answered 429/5xx before any
         * output (default 2), the model's idle timeout (default 60 s, then {@code RunError} "upstream
         * stalled") and the tool timeout (default 60 s; agents may set their own per tool). The connect
         * timeout applies to the models {@link Main} builds.
         */
        public Builder upstream(UpstreamSettings settings) {
            this.upstream = requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Signs and delivers the webhooks of background runs (default off: a start naming one gets 400).
         * The deliveries are shared through the storage, so any node on the same database may make them.
         */
        public Builder webhooks(WebhookConfig config) {
            this.webhooks = requireNonNull(config, "config");
            return this;
        }

        /**
         * Carries cancels to the node that executes the run (default: this process only). The bus
         * stays open when the server closes: close it after the server.
         */
        public Builder cancellationBus(CancellationBus bus) {
            this.cancellationBus = requireNonNull(bus, "bus");
            return this;
        }

        /** The address to listen on (default 127.0.0.1). Other than loopback needs API keys or JWT. */
        public Builder host(String host) {
            this.host = requireNonNull(host, "host");
            return this;
        }

        /** The port (default 7777; 0 for any free port). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
            }
            this.port = port;
            return this;
        }

        /** Serves {@code agent} at {@code /v1/agents/{agent.id()}}. */
        public Builder agent(Agent agent) {
            return member(agent);
        }

        /** Serves {@code team} at {@code /v1/agents/{team.id()}}, like an agent. */
        public Builder team(Team team) {
            return member(team);
        }

        private Builder member(Member member) {
            requireNonNull(member, "member");
            if (agents.putIfAbsent(member.id(), member) != null) {
                throw new IllegalArgumentException("agent id: " + member.id() + " (expected: unique among agents and teams)");
            }
            return this;
        }

        /** Stores runs in {@code storage}, which stays open when the server closes: close it after the server. */
        public Builder storage(Storage storage) {
            this.backend = Backend.of(requireNonNull(storage, "storage"), false);
            this.storageOptions = null;
            return this;
        }

        /**
         * Opens storage with {@code options} when the server starts, and closes it with the server.
         * Without either {@code storage} method the server opens {@code jdbc:sqlite:./agentstream.db}.
         */
        public Builder storage(StorageOptions options) {
            this.storageOptions = requireNonNull(options, "options");
            this.backend = null;
            return this;
        }

        /** The API keys requests must carry (default none: everyone is user {@code local}, loopback only). */
        public Builder apiKeys(ApiKeys keys) {
            this.apiKeys = requireNonNull(keys, "keys");
            return this;
        }

        /**
         * Also accepts JWT bearer tokens that {@code verifier} finds valid, their {@code sub} being
         * the user (default: none, API keys only). Like keys, tokens allow listening beyond loopback.
         */
        public Builder jwt(JwtVerifier verifier) {
            this.jwt = requireNonNull(verifier, "verifier");
            return this;
        }

        /**
         * What {@code GET /metrics} asks of its caller (default: nothing, open to any caller, which is
         * logged once at start). API keys and JWTs do not open it; its token opens nothing else.
         */
        public Builder metricsToken(MetricsToken token) {
            this.metricsToken = requireNonNull(token, "token");
            return this;
        }

        /**
         * The browser origins allowed to call the server from their pages ({@code scheme://host[:port]},
         * or {@code *} for any); default {@code http://localhost:3000} and {@code http://127.0.0.1:3000}.
         * An empty list allows none.
         */
        public Builder corsOrigins(Collection<String> origins) {
            this.corsOrigins = List.copyOf(requireNonNull(origins, "origins"));
            Cors.allowing(corsOrigins);
            return this;
        }

        /** The largest request body accepted (default 1 MiB); larger ones get 413. */
        public Builder maxBodyBytes(long bytes) {
            this.limits = limits.withMaxBodyBytes(bytes);
            return this;
        }

        /** Body and header sizes, idle and read timeouts of connections (default {@link HttpLimits#DEFAULT}). */
        public Builder httpLimits(HttpLimits limits) {
            this.limits = requireNonNull(limits, "limits");
            return this;
        }

        /** Silence after which an SSE stream gets a {@code : ping} comment (default 15 s). */
        public Builder heartbeat(Duration interval) {
            this.heartbeat = positive(interval, "heartbeat");
            return this;
        }

        /**
         * How often a silent SSE stream is probed for a gone client (default 300 ms); a client that
         * closed is noticed within two intervals.
         */
        public Builder disconnectProbe(Duration interval) {
            this.disconnectProbe = positive(interval, "disconnectProbe");
            return this;
        }

        /** How long an ended run stays known in memory (status, output; default 10 minutes); the store has it after. */
        public Builder retention(Duration retention) {
            this.retention = positive(retention, "retention");
            return this;
        }

        /**
         * How long an ended run's events stay in memory (default 10 s, at most the retention);
         * readers after that replay them from the store.
         */
        public Builder endedEventsInMemory(Duration duration) {
            this.endedEventsInMemory = positive(duration, "endedEventsInMemory");
            return this;
        }

        /** Runs that may wait their turn in one session under {@code enqueue} (default 16). */
        public Builder maxWaitingPerSession(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxWaitingPerSession: " + max + " (expected: >= 1)");
            }
            this.maxWaitingPerSession = max;
            return this;
        }

        /**
         * Runs this node has going at once, waiting their turn in a session included (default 1000);
         * past it a start or continue gets 503 with {@code Retry-After}.
         */
        public Builder maxActiveRuns(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxActiveRuns: " + max + " (expected: >= 1)");
            }
            this.maxActiveRuns = max;
            return this;
        }

        /**
         * Runs one user has going at once on this node (default 20); past it their start or continue
         * gets 429 with {@code Retry-After}, while other users still start.
         */
        public Builder maxRunsPerUser(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxRunsPerUser: " + max + " (expected: >= 1)");
            }
            this.maxRunsPerUser = max;
            return this;
        }

        /**
         * How long storage writes may fail before this node refuses new runs (503) and ends the runs
         * going with {@code RunError} "storage unavailable" (default 30 s). Until then runs stream on
         * and their rows wait in memory, up to {@link #maxUnwrittenBytesPerRun} per run, to be
         * written when the database is back.
         */
        public Builder persistGrace(Duration grace) {
            this.persistGrace = positive(grace, "persistGrace");
            return this;
        }

        /**
         * How much of one run's events may wait in memory for an unavailable database (default 1 MiB,
         * what the run's own event log holds); past it the run ends with {@code RunError} "storage
         * unavailable" at once, grace or not, so memory stays bounded however long the database is away.
         */
        public Builder maxUnwrittenBytesPerRun(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxUnwrittenBytesPerRun: " + bytes + " (expected: >= 1024)");
            }
            this.maxUnwrittenBytesPerRun = bytes;
            return this;
        }

        /**
         * How long one write to an SSE client may take (default 30 s); a client that reads nothing for
         * that long is dropped, and the run's disconnect policy applies.
         */
        public Builder sseWriteTimeout(Duration timeout) {
            this.sseWriteTimeout = positive(timeout, "sseWriteTimeout");
            return this;
        }

        /**
         * How long {@link AgentstreamServer#close()} lets the runs going finish before it stops them
         * (default zero: at once; the {@code agentstream} command uses 20 s). New runs get 503 meanwhile.
         */
        public Builder shutdownGrace(Duration grace) {
            requireNonNull(grace, "shutdownGrace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("shutdownGrace: " + grace + " (expected: >= 0)");
            }
            this.shutdownGrace = grace;
            return this;
        }

        private static Duration positive(Duration d, String name) {
            requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
            }
            return d;
        }

        /**
         * Starts listening.
         *
         * @throws IllegalStateException if no agent was added, or a non-loopback host has neither API keys nor JWT
         */
        public AgentstreamServer start() {
            if (agents.isEmpty()) {
                throw new IllegalStateException("no agents (expected: at least one agent(...))");
            }
            if (!apiKeys.enabled() && jwt == null && !isLoopback(host)) {
                throw new IllegalStateException("host: " + host + " (expected: a loopback address without API keys or"
                    + " JWT; set AGENTSTREAM_API_KEYS or AGENTSTREAM_JWT_SECRET/_PUBLIC_KEY to listen on others)");
            }
            if (limits.idleTimeout().compareTo(heartbeat) <= 0) {
                throw new IllegalStateException("idle timeout " + limits.idleTimeout().toMillis() + "ms (expected: longer than"
                    + " the SSE heartbeat, " + heartbeat.toMillis() + "ms, or quiet streams are cut)");
            }
            Backend chosen = backend;
            if (chosen == null) {
                StorageOptions options = storageOptions != null ? storageOptions
                    : StorageOptions.builder().jdbcUrl(ServerConfig.DEFAULT_DB).build();
                chosen = Backend.of(Storage.open(options), true);
            }
            return new AgentstreamServer(this, chosen).startServer(port);
        }

        static boolean isLoopback(String host) {
            return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
        }
    }
}
