package dev.agentstream.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Flow.Subscriber} for tests: keeps what it receives and how the stream ended, and asks
 * for everything at once or for nothing until the test asks through {@link #subscription}.
 * Thread-safe: the publisher's thread delivers, the test's thread reads.
 */
public final class RecordingSubscriber<T> implements Flow.Subscriber<T> {

    private final boolean requestAll;
    private final List<T> items = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
    private final CompletableFuture<Optional<Throwable>> end = new CompletableFuture<>();

    private RecordingSubscriber(boolean requestAll) {
        this.requestAll = requestAll;
    }

    /** A subscriber that requests every item as soon as it is subscribed. */
    public static <T> RecordingSubscriber<T> requestingAll() {
        return new RecordingSubscriber<>(true);
    }

    /** A subscriber that requests nothing until the test does. */
    public static <T> RecordingSubscriber<T> requestingNothing() {
        return new RecordingSubscriber<>(false);
    }

    @Override
    public void onSubscribe(Flow.Subscription given) {
        subscription.complete(given);
        if (requestAll) {
            given.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(T item) {
        items.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        end.complete(Optional.of(throwable));
    }

    @Override
    public void onComplete() {
        end.complete(Optional.empty());
    }

    /** The subscription, once the publisher gave it. */
    public Flow.Subscription subscription(Duration wait) throws InterruptedException, TimeoutException {
        return get(subscription, wait);
    }

    /** How the stream ended: empty after {@code onComplete}, the error after {@code onError}. */
    public Optional<Throwable> awaitEnd(Duration wait) throws InterruptedException, TimeoutException {
        return get(end, wait);
    }

    /** The items received so far, in order. */
    public List<T> items() {
        return List.copyOf(items);
    }

    private static <V> V get(CompletableFuture<V> future, Duration wait) throws InterruptedException, TimeoutException {
        try {
            return future.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
