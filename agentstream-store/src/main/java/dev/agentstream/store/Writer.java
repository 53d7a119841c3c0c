package dev.agentstream.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread per process that writes: every flush interval it group-commits what all live runs
 * buffered; when a producer waits (a run's start or end) it commits that run's rows at once, along
 * with the other waiting runs; between flushes it runs queued jobs (recovery, idempotency keys,
 * deletes), each in its own transaction. SQLite allows one writer at a time, and PostgreSQL
 * prefers few large transactions to many small ones, so one writer suits both.
 *
 * <p>Thread contract: {@link #wakeUp}, {@link #submit} and {@link #close} are called from any thread;
 * everything else runs on the writer thread. It is a platform thread: JDBC drivers may block in
 * native code or {@code synchronized} sections, which would pin a virtual thread's carrier anyway.
 */
final class Writer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Writer.class);
    private static final int MAX_QUEUED_JOBS = 1024;
    private static final long SLOW_FLUSH_NANOS = 1_000_000_000L;

    private final Database database;
    private final ConcurrentMap<String, LiveRun> runs;
    private final Clock clock;
    private final FlushPace pace;
    private final long leaseMillis;
    private final WriterStats stats;
    private final GroupCommit groupCommit;
    private final WriteOutage outage = new WriteOutage();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private final Condition idle = lock.newCondition();
    private final BlockingQueue<QueuedJob<?>> jobs = new ArrayBlockingQueue<>(MAX_QUEUED_JOBS);
    private final Thread thread;
    private boolean urgent;
    private boolean stopping;

    Writer(Database database, ConcurrentMap<String, LiveRun> runs, StorageOptions options, WriterStats stats) {
        this.database = database;
        this.runs = runs;
        this.clock = options.clock();
        this.pace = new FlushPace(options.flushInterval().toNanos(), options.maxFlushInterval().toNanos());
        this.leaseMillis = options.leaseDuration().toMillis();
        this.stats = stats;
        stats.flushInterval(pace.intervalNanos());
        this.groupCommit = new GroupCommit(stats, options.nodeId(), !database.isSqlite());
        this.thread = Thread.ofPlatform().name("agentstream-store-writer").daemon(true).unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    /** Whether writes reach the database now. Any thread. */
    WriteOutage outage() {
        return outage;
    }

    /** Asks for a flush of the runs that wait, now. Any thread. */
    void wakeUp() {
        lock.lock();
        try {
            urgent = true;
            signal.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code job} on the writer thread in its own transaction. Any thread. The future fails
     * with a {@link StorageException} if the job fails, the queue is full or the writer stopped.
     */
    <T> CompletableFuture<T> submit(String what, Job<T> job) {
        QueuedJob<T> queued = new QueuedJob<>(what, job, new CompletableFuture<>());
        lock.lock();
        try {
            if (stopping) {
                queued.result.completeExceptionally(new StorageException(what + ": storage is closed"));
                return queued.result;
            }
            if (!jobs.offer(queued)) {
                queued.result.completeExceptionally(new StorageException(what + ": " + MAX_QUEUED_JOBS
                    + " jobs already wait for the writer"));
                return queued.result;
            }
            urgent = true;
            signal.signal();
        } finally {
            lock.unlock();
        }
        return queued.result;
    }

    private void loop() {
        long nextTick = System.nanoTime() + pace.intervalNanos();
        boolean stop = false;
        while (!stop) {
            lock.lock();
            try {
                long wait;
                while (!urgent && !stopping && (wait = nextTick - System.nanoTime()) > 0) {
                    signal.awaitNanos(wait);
                }
                urgent = false;
                stop = stopping;
            } catch (InterruptedException e) {
                stop = true;
            } finally {
                lock.unlock();
            }
            long now = System.nanoTime();
            boolean tick = stop || now - nextTick >= 0;
            if (tick) {
                // Fixed rate, so content waits at most one interval; after a slow flush, start over from now.
                nextTick += pace.intervalNanos();
                if (nextTick - now < 0) {
                    nextTick = now + pace.intervalNanos();
                }
            }
            try {
                long start = System.nanoTime();
                flush(tick);
                if (tick) {
                    pace.flushed(System.nanoTime() - start);
                    stats.flushInterval(pace.intervalNanos());
                }
                runJobs();
            } catch (RuntimeException e) {
                LOG.error("the storage writer failed; it goes on", e);
            }
        }
    }

    /** Writes every run with something to write ({@code all}), or only the runs a producer waits for. */
    private void flush(boolean all) {
        long start = System.nanoTime();
        long nowMillis = clock.millis();
        List<LiveRun.Unit> units = new ArrayList<>();
        for (LiveRun run : runs.values()) {
            if (all || run.isUrgent()) {
                LiveRun.Unit unit = run.prepare(nowMillis, leaseMillis);
                if (unit != null) {
                    units.add(unit);
                }
            }
        }
        if (units.isEmpty()) {
            return;
        }
        long connecting = System.nanoTime();
        long connected = connecting;
        outage.attempting();
        try (Connection connection = database.connection()) {
            connected = System.nanoTime();
            Set<LiveRun> lost;
            try {
                lost = groupCommit.execute(connection, units);
            } catch (SQLException | RuntimeException e) {
                stats.failedFlush();
                if (isTransient(e)) {
                    giveBack(units, e);
                } else {
                    // The database answered: the fault is in some run's rows, not in reaching it.
                    writesWork();
                    oneByOne(connection, units);
                }
                return;
            }
            writesWork();
            settle(units, lost);
        } catch (SQLException e) {
            giveBack(units, e);
        } finally {
            long took = System.nanoTime() - start;
            stats.flushed(took);
            if (took > SLOW_FLUSH_NANOS) {
                LOG.warn("a flush of {} runs took {} ms, {} ms of it waiting for a connection", units.size(),
                    took / 1_000_000, (connected - connecting) / 1_000_000);
            }
        }
    }

    /** After a failed group, each run alone: one run's bad row must not lose the others' writes. */
    private void oneByOne(Connection connection, List<LiveRun.Unit> units) {
        for (LiveRun.Unit unit : units) {
            Set<LiveRun> lost;
            try {
                lost = groupCommit.execute(connection, List.of(unit));
            } catch (SQLException | RuntimeException e) {
                if (unit.run().failed(!isTransient(e))) {
                    LOG.warn("run {} is no longer recorded: its rows failed {} times in a row: {}", unit.run().runId(),
                        LiveRun.MAX_FAILURES, describe(e));
                } else {
                    LOG.debug("writing run {} failed; will retry: {}", unit.run().runId(), describe(e));
                }
                continue;
            }
            settle(List.of(unit), lost);
        }
    }

    private void giveBack(List<LiveRun.Unit> units, Exception e) {
        if (outage.failed()) {
            LOG.warn("storage writes fail; buffered runs are kept and retried: {}", describe(e));
        }
        units.forEach(unit -> unit.run().failed(false));
    }

    private void writesWork() {
        if (outage.succeeded()) {
            LOG.info("storage writes work again");
        }
    }

    private void settle(List<LiveRun.Unit> units, Set<LiveRun> lost) {
        for (LiveRun.Unit unit : units) {
            LiveRun run = unit.run();
            if (lost.contains(run)) {
                stats.lostRun();
                LOG.warn("run {} was taken over by another node after its lease expired; this node stops recording it",
                    run.runId());
                run.lost();
                continue;
            }
            List<CompletableFuture<Void>> waiters = run.acknowledge();
            if (run.isDone()) {
                runs.remove(run.runId(), run);
                signalIdle();
            }
            waiters.forEach(w -> w.complete(null));
        }
    }

    private void runJobs() {
        QueuedJob<?> job;
        while ((job = jobs.poll()) != null) {
            run(job);
        }
    }

    private <T> void run(QueuedJob<T> job) {
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try {
                T result = job.job.run(connection);
                connection.commit();
                stats.commit();
                job.result.complete(result);
            } catch (SQLException | RuntimeException e) {
                GroupCommit.rollback(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            job.result.completeExceptionally(new StorageException(job.what + " failed: " + describe(e), e));
        }
    }

    /**
     * Connection trouble (SQL state class 08), a deadlock or serialization failure (40), an operator
     * or resource problem (57, 53), or SQLite being busy or locked: worth retrying, and no fault of
     * the rows.
     */
    static boolean isTransient(Exception e) {
        if (!(e instanceof SQLException sql)) {
            return false;
        }
        String state = sql.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("57")
            || state.startsWith("53"))) {
            return true;
        }
        int code = sql.getErrorCode() & 0xff;
        return sql.getClass().getName().startsWith("org.sqlite") && (code == 5 || code == 6);
    }

    /** The exception's class and SQL state; driver messages may quote values, so they stay out of logs. */
    static String describe(Exception e) {
        return e instanceof SQLException sql
            ? sql.getClass().getSimpleName() + " (SQL state " + sql.getSQLState() + ", code " + sql.getErrorCode() + ")"
            : e.getClass().getSimpleName();
    }

    private void signalIdle() {
        if (runs.isEmpty()) {
            lock.lock();
            try {
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Waits until no run is being recorded, at most {@code timeout}. Returns true if none is. Any
     * thread (the one closing the storage).
     */
    boolean awaitNoLiveRuns(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!runs.isEmpty() && nanos > 0) {
                nanos = idle.awaitNanos(Math.min(nanos, pace.intervalNanos()));
            }
            return runs.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Flushes what is buffered, runs the queued jobs and stops the thread; waits up to
     * {@code timeout}. Runs still live are given up (a producer waiting for them is released with a
     * {@link StorageException}); jobs submitted later fail. Idempotent; any thread.
     */
    void close(Duration timeout) {
        lock.lock();
        try {
            stopping = true;
            signal.signal();
        } finally {
            lock.unlock();
        }
        try {
            if (!thread.join(timeout)) {
                LOG.warn("the storage writer did not stop within {}; buffered writes may be lost", timeout);
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalThreadStateException e) {
            // Never started: nothing to wait for.
        }
        QueuedJob<?> job;
        while ((job = jobs.poll()) != null) {
            job.result.completeExceptionally(new StorageException(job.what + ": storage is closed"));
        }
        runs.values().forEach(LiveRun::close);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Work for the writer thread, in a transaction it commits. */
    @FunctionalInterface
    interface Job<T> {
        T run(Connection connection) throws SQLException;
    }

    private record QueuedJob<T>(String what, Job<T> job, CompletableFuture<T> result) {
    }
}
