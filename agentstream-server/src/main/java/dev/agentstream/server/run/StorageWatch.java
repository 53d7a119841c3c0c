package dev.agentstream.server.run;

import static java.util.Objects.requireNonNull;

import dev.agentstream.AgentRuntime;
import dev.agentstream.server.metrics.ServerMetrics;
import dev.agentstream.store.StorageException;
import dev.agentstream.store.StorageHealth;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps runs honest while the database is away. The store buffers what it cannot write and
 * retries, so streams go on; but a stream is only worth something if it ends up stored. So, checked
 * every {@link #period}: once writes have failed for longer than the grace, new runs are refused
 * ({@link RunIntake}) and the runs going end with {@code RunError} "storage unavailable"; and a run
 * whose unwritten events pass the per-run bound ends the same way at once, so memory stays bounded
 * however long the database stays away. What was buffered is written when it is back.
 *
 * <p>Thread contract: {@link #check()} is called by one scheduler thread; the rest is immutable.
 */
public final class StorageWatch {

    private static final Logger LOG = LoggerFactory.getLogger(StorageWatch.class);
    static final String STORAGE_UNAVAILABLE = "storage unavailable";

    private final Supplier<StorageHealth> health;
    private final ToLongFunction<String> unwrittenBytes;
    private final AgentRuntime runtime;
    private final RunIntake intake;
    private final ServerMetrics metrics;
    private final Duration grace;
    private final long maxUnwrittenBytesPerRun;
    private boolean unavailable;

    /**
     * @param health the store's health
     * @param unwrittenBytes a run's events the store holds unwritten, by run id
     * @param grace how long writes may fail before runs are refused and ended
     * @param maxUnwrittenBytesPerRun how much of a run's events may wait for the database
     */
    public StorageWatch(Supplier<StorageHealth> health, ToLongFunction<String> unwrittenBytes, AgentRuntime runtime,
                        RunIntake intake, ServerMetrics metrics, Duration grace, long maxUnwrittenBytesPerRun) {
        this.health = requireNonNull(health, "health");
        this.unwrittenBytes = requireNonNull(unwrittenBytes, "unwrittenBytes");
        this.runtime = requireNonNull(runtime, "runtime");
        this.intake = requireNonNull(intake, "intake");
        this.metrics = requireNonNull(metrics, "metrics");
        this.grace = requireNonNull(grace, "grace");
        this.maxUnwrittenBytesPerRun = maxUnwrittenBytesPerRun;
    }

    /** How often to {@link #check()}: a quarter of the grace, between 50 and 250 ms (the per-run bound is checked as often). */
    public Duration period() {
        long millis = Math.clamp(grace.toMillis() / 4, 50, 250);
        return Duration.ofMillis(millis);
    }

    /** Compares the store's health with the grace and the bound, and acts. Scheduler thread. */
    public void check() {
        StorageHealth now = health.get();
        boolean pastGrace = now.unavailableFor().compareTo(grace) > 0;
        if (pastGrace != unavailable) {
            unavailable = pastGrace;
            intake.storageUnavailable(pastGrace);
            if (pastGrace) {
                LOG.error("storage writes have failed for {} ms (grace {} ms): new runs get 503 and running runs end"
                    + " with RunError until the database is back", now.unavailableFor().toMillis(), grace.toMillis());
            } else {
                LOG.info("storage writes work again: new runs are taken");
            }
        }
        if (pastGrace) {
            runtime.activeRunIds().forEach(runId -> fail(runId, STORAGE_UNAVAILABLE));
        } else if (!now.writing()) {
            for (String runId : runtime.activeRunIds()) {
                long unwritten = unwrittenBytes.applyAsLong(runId);
                if (unwritten > maxUnwrittenBytesPerRun) {
                    fail(runId, STORAGE_UNAVAILABLE + " (over " + maxUnwrittenBytesPerRun
                        + " bytes of the run's events wait for the database)");
                }
            }
        }
    }

    private void fail(String runId, String message) {
        if (runtime.fail(runId, new StorageException(message))) {
            metrics.runFailedForStorage();
            LOG.warn("run {} ends with RunError: {}", runId, message);
        }
    }
}
