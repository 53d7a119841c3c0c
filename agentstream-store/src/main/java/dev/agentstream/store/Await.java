package dev.agentstream.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for the writer, with a deadline, as a {@link StorageException} when it fails. Stateless. */
final class Await {

    private Await() {
    }

    static <T> T result(String what, CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StorageException s ? s : new StorageException(what + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new StorageException(what + " took longer than " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(what + " was interrupted");
        }
    }
}
