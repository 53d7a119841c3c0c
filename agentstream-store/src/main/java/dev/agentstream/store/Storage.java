package dev.agentstream.store;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.agentstream.event.RunCancelled;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * agentstream's storage: one database (SQLite or PostgreSQL), migrated on open, with the
 * {@link SessionStore} to read it, the {@link Recorder} that writes runs as they stream, and the
 * recovery of runs whose node died.
 *
 * <pre>{@code
 * Storage storage = Storage.open(StorageOptions.builder().jdbcUrl("jdbc:sqlite:./agentstream.db").build());
 * Recorder recorder = storage.recorder();
 * AgentRuntime runtime = AgentRuntime.builder().observer(recorder).history(recorder).build();
 * ...
 * runtime.close();   // ends live runs (as INTERRUPTED), which the recorder stores
 * storage.close();   // then flushes, stops the writer and closes the pool
 * }</pre>
 *
 * <p>Thread contract: thread-safe. Opening starts one writer thread and a recovery schedule
 * (virtual thread) that marks abandoned runs INTERRUPTED every recovery interval; it also
 * recovers once before {@link #open} returns.
 */
public final class Storage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Storage.class);

    private final StorageOptions options;
    private final Database database;
    private final WriterStats stats;
    private final ConcurrentMap<String, LiveRun> runs = new ConcurrentHashMap<>();
    private final Writer writer;
    private final JdbcSessionStore store;
    private final Recorder recorder;
    private final LeaseRecovery recovery;
    private final WebhookDeliveries webhooks;
    private final ScheduledExecutorService schedule;
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Set once the close grace is over: from then on the recorder ignores events. */
    private final AtomicBoolean closed = new AtomicBoolean();

    private Storage(StorageOptions options, Database database) {
        this.options = options;
        this.database = database;
        this.stats = new WriterStats(runs::size);
        this.writer = new Writer(database, runs, options, stats);
        this.store = new JdbcSessionStore(database, writer, options, this::close);
        this.recorder = new Recorder(runs, writer, store, new HistoryReader(database, options.historyRuns()), options,
            closed);
        this.recovery = new LeaseRecovery(database, writer, stats, options);
        this.webhooks = new WebhookDeliveries(database, writer, options);
        this.schedule = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("agentstream-store-recovery").factory());
    }

    /**
     * Opens the database named by {@code options}, runs its migrations, starts the writer and
     * recovers runs whose lease already expired.
     *
     * @throws StorageException if the database cannot be reached or migrated
     */
    public static Storage open(StorageOptions options) {
        requireNonNull(options, "options");
        Database database = Database.open(options);
        Storage storage = new Storage(options, database);
        storage.start();
        return storage;
    }

    private void start() {
        writer.start();
        try {
            recoverExpiredLeases();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        long every = options.recoveryInterval().toMillis();
        schedule.scheduleWithFixedDelay(this::recoverQuietly, every, every, TimeUnit.MILLISECONDS);
        LOG.info("storage open: {} as node {}", Database.maskSecrets(options.jdbcUrl()), options.nodeId());
    }

    /** Reads sessions, runs, messages and events. Closing it closes this storage. */
    public SessionStore store() {
        return store;
    }

    /** The observer and history provider to register with the {@code AgentRuntime}. */
    public Recorder recorder() {
        return recorder;
    }

    /** The webhook deliveries of background runs, claimed under this storage's node id. */
    public WebhookDeliveries webhooks() {
        return webhooks;
    }

    public StorageOptions options() {
        return options;
    }

    /**
     * Marks every RUNNING run whose lease expired INTERRUPTED now, keeping the content its node
     * flushed, and ends its stored events with {@code RunCancelled} (reason {@code lease_expired}).
     * Storage also does this at open and every recovery interval. Any thread; blocks for the writer.
     *
     * @return how many runs this call recovered
     */
    public int recoverExpiredLeases() {
        return recovery.recoverExpired();
    }

    /**
     * Marks every RUNNING run owned by {@code nodeId} INTERRUPTED now, as {@link #recoverExpiredLeases}
     * does for expired leases: for a node known to be dead, or for this node's own runs left behind by
     * an earlier process with the same node id. Any thread; blocks for the writer.
     *
     * @return the terminal events written, one per run interrupted, for readers elsewhere
     */
    public List<RunCancelled> interruptRunsOf(String nodeId, String reason) {
        return recovery.interruptRunsOf(requireNonNull(nodeId, "nodeId"), requireNonNull(reason, "reason"));
    }

    /** The nodes that own RUNNING runs now. Any thread. */
    public Set<String> nodesWithRunningRuns() {
        return recovery.nodesWithRunningRuns();
    }

    /** Whether writes reach the database now, and how much waits to be written. Any thread. */
    public StorageHealth health() {
        WriteOutage outage = writer.outage();
        long unwritten = 0;
        for (LiveRun run : runs.values()) {
            unwritten += run.unwrittenBytes();
        }
        return new StorageHealth(!outage.failing(), outage.unavailableFor(), unwritten);
    }

    /**
     * Roughly how much memory the events of {@code runId} that are not written yet take: they grow
     * while the database is away, so a caller can stop a run before it holds too much. Zero for a
     * run not being recorded. Any thread.
     */
    public long unwrittenBytes(String runId) {
        LiveRun run = runs.get(runId);
        return run == null ? 0 : run.unwrittenBytes();
    }

    /** What the writer has done so far. Any thread. */
    public StorageStats stats() {
        return stats.snapshot();
    }

    /**
     * Reports the connection pool's figures (connections active, idle, pending; acquire and usage
     * times; timeouts) to {@code factory}, e.g. HikariCP's {@code MicrometerMetricsTrackerFactory}.
     * One tracker per storage: when one already reports, this one is not used.
     *
     * @return whether {@code factory} now receives the figures
     */
    public boolean trackPoolMetrics(MetricsTrackerFactory factory) {
        return database.trackMetrics(requireNonNull(factory, "factory"));
    }

    /** The writer's counters by kind of statement, for tests. */
    WriterStats writerStats() {
        return stats;
    }

    private void recoverQuietly() {
        try {
            recovery.recoverExpired();
            recovery.pruneIdempotencyKeys();
        } catch (RuntimeException e) {
            if (!closing.get()) {
                LOG.warn("recovering expired leases failed; will try again: {}", e.getMessage());
            }
        }
    }

    /**
     * Flushes what is buffered, stops the writer and closes the pool. Close the runtime first: the
     * runs it cancels end within milliseconds, and close keeps recording for up to the close grace
     * until no run is live, so their ends are stored (as INTERRUPTED, reason {@code shutdown}). Runs
     * still live after that stay RUNNING in the database and are recovered once their lease
     * expires. Idempotent.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        schedule.shutdownNow();
        try {
            writer.awaitNoLiveRuns(options.closeGrace());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed.set(true);
        writer.close(Duration.ofSeconds(30));
        database.close();
        LOG.info("storage closed: {}", Database.maskSecrets(options.jdbcUrl()));
    }
}
