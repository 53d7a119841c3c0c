package dev.agentstream.server.sse;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Puts a deadline on each SSE write: a client that reads nothing fills the socket's buffers, and the
 * serving thread's blocking write would then wait forever, holding the reader's place in the run.
 * One scanner thread looks at every stream a few times per timeout and interrupts a thread whose
 * write has been stuck for longer than the timeout; its blocking write then fails, and the stream
 * ends as a client gone.
 *
 * <p>Thread contract: thread-safe. Each {@link Deadline} is armed and disarmed by its stream's
 * thread and checked by the scanner, under the deadline's lock, so an interrupt never lands after
 * the write it was meant for.
 */
public final class WriteWatchdog implements AutoCloseable {

    private final long timeoutNanos;
    private final Set<Deadline> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scanner;

    /** Watches writes, each allowed {@code timeout}. */
    public WriteWatchdog(Duration timeout) {
        requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        this.timeoutNanos = timeout.toNanos();
        this.scanner = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
            .name("agentstream-sse-write-watchdog").daemon(true).factory());
        // A stuck write is noticed within a quarter of the timeout after it expires.
        long every = Math.clamp(timeout.toMillis() / 4, 10, 1000);
        scanner.scheduleWithFixedDelay(this::scan, every, every, TimeUnit.MILLISECONDS);
    }

    /** A deadline for the writes of the calling thread's stream; close it when the stream ends. */
    Deadline watch() {
        Deadline deadline = new Deadline(Thread.currentThread());
        watched.add(deadline);
        return deadline;
    }

    private void scan() {
        long now = System.nanoTime();
        for (Deadline deadline : watched) {
            deadline.check(now);
        }
    }

    @Override
    public void close() {
        scanner.shutdownNow();
    }

    /** One stream's write deadline. */
    final class Deadline implements AutoCloseable {

        private final ReentrantLock lock = new ReentrantLock();
        private final Thread writer;
        private long armedAt;
        private boolean armed;
        private boolean expired;

        private Deadline(Thread writer) {
            this.writer = writer;
        }

        /** A write starts. Stream thread. */
        void arm() {
            lock.lock();
            try {
                armedAt = System.nanoTime();
                armed = true;
            } finally {
                lock.unlock();
            }
        }

        /** The write is done. Returns false if it had expired meanwhile (the client is too slow). Stream thread. */
        boolean disarm() {
            lock.lock();
            try {
                armed = false;
                return !expired;
            } finally {
                lock.unlock();
            }
        }

        /** True once a write outlived the timeout; the stream's thread was interrupted then. */
        boolean expired() {
            lock.lock();
            try {
                return expired;
            } finally {
                lock.unlock();
            }
        }

        private void check(long now) {
            lock.lock();
            try {
                if (armed && !expired && now - armedAt > timeoutNanos) {
                    expired = true;
                    writer.interrupt();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            watched.remove(this);
        }
    }
}
