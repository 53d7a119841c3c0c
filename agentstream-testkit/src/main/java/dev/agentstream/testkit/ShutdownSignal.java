package dev.agentstream.testkit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Tells request threads that are waiting (paced, stalled) that the server is closing, and wakes them. */
final class ShutdownSignal {

    /** Thrown out of a wait when the server starts closing. */
    static final class ServerClosingException extends Exception {
        ServerClosingException() {
            super("server is closing", null, false, false);
        }
    }

    private final CountDownLatch closing = new CountDownLatch(1);

    void trigger() {
        closing.countDown();
    }

    boolean isTriggered() {
        return closing.getCount() == 0;
    }

    /** Waits for {@code duration} unless the server starts closing first. */
    void sleep(Duration duration) throws ServerClosingException {
        try {
            if (closing.await(duration.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new ServerClosingException();
            }
        } catch (InterruptedException e) {
            // Our executor is shut down with interrupts only when closing, so treat it the same way.
            Thread.currentThread().interrupt();
            throw new ServerClosingException();
        }
    }

    /** Waits until the server starts closing. */
    void sleepUntilTriggered() throws ServerClosingException {
        try {
            closing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new ServerClosingException();
    }
}
