package dev.agentstream.run;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The single-process {@link CancellationBus}: listeners are called on the requesting thread, and
 * intents are remembered for {@code memory} so that a run registering late still sees its cancel.
 * Thread-safe.
 */
public final class InProcessCancellationBus implements CancellationBus {

    private final CopyOnWriteArrayList<Consumer<CancelRequest>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Intent> intents = new ConcurrentHashMap<>();
    private final long memoryNanos;
    private final LongSupplier nanoClock;

    public InProcessCancellationBus() {
        this(Duration.ofMinutes(10), System::nanoTime);
    }

    public InProcessCancellationBus(Duration memory, LongSupplier nanoClock) {
        this.memoryNanos = memory.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public void requestCancel(String runId, String reason) {
        long now = nanoClock.getAsLong();
        // Forget old intents on the way, so the map stays as small as the recent cancels.
        intents.values().removeIf(intent -> now - intent.atNanos > memoryNanos);
        intents.putIfAbsent(runId, new Intent(reason, now));
        CancelRequest request = new CancelRequest(runId, reason);
        for (Consumer<CancelRequest> listener : listeners) {
            listener.accept(request);
        }
    }

    @Override
    public Optional<String> pendingCancel(String runId) {
        Intent intent = intents.get(runId);
        if (intent == null || nanoClock.getAsLong() - intent.atNanos > memoryNanos) {
            return Optional.empty();
        }
        return Optional.of(intent.reason);
    }

    @Override
    public AutoCloseable subscribe(Consumer<CancelRequest> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        listeners.clear();
        intents.clear();
    }

    private record Intent(String reason, long atNanos) {
    }
}
