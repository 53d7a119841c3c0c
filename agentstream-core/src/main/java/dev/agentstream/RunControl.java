package dev.agentstream;

import dev.agentstream.http.ModelCalls;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a run from any thread, at once: it wakes the run thread, closes the model's upstream
 * stream through LangChain4j's {@link StreamingHandle} and interrupts running tools. The first
 * stop wins; later ones are no-ops. A stop is a cancel (the run ends with {@code RunCancelled})
 * or a failure the run did not cause itself (it ends with {@code RunError}).
 *
 * <p>Thread contract: thread-safe. {@link #cancel} is called by any thread; the other methods by the
 * run's producer threads.
 */
final class RunControl {

    private static final Logger LOG = LoggerFactory.getLogger(RunControl.class);

    private final CompletableFuture<Stop> cancelled = new CompletableFuture<>();
    private final Set<Thread> toolThreads = ConcurrentHashMap.newKeySet();
    private final Set<RunControl> children = ConcurrentHashMap.newKeySet();
    private volatile StreamingHandle handle;
    private volatile ModelCalls calls;

    /** Returns true for the call that cancelled, false if the run was stopped before. */
    boolean cancel(String reason) {
        return stop(new Stop(reason, null));
    }

    /**
     * Stops the run as failed by {@code cause} (storage gone, say), so that it ends with
     * {@code RunError}. Returns true for the call that stopped it, false if it was stopped before.
     */
    boolean fail(RuntimeException cause) {
        return stop(new Stop(AgentRuntime.REASON_CANCELLED, cause));
    }

    private boolean stop(Stop stop) {
        // Wake the run thread first: the run's end must not wait for the upstream to close.
        if (!cancelled.complete(stop)) {
            return false;
        }
        closeModelStream();
        toolThreads.forEach(Thread::interrupt);
        children.forEach(child -> child.stop(stop));
        return true;
    }

    /** The control of a member run: cancelling this run cancels it too. */
    RunControl child() {
        RunControl child = new RunControl();
        children.add(child);
        Stop stop = cancelled.getNow(null);
        if (stop != null) {
            child.stop(stop);
        }
        return child;
    }

    boolean isCancelled() {
        return cancelled.isDone();
    }

    Optional<String> reason() {
        return Optional.ofNullable(cancelled.getNow(null)).map(Stop::reason);
    }

    /** The failure the run was stopped with, if it was failed rather than cancelled. */
    Optional<RuntimeException> failure() {
        return Optional.ofNullable(cancelled.getNow(null)).map(Stop::failure);
    }

    /** Remembers the HTTP calls of the model turn now running, to close them before a handle exists. */
    void attachCalls(ModelCalls newCalls) {
        calls = newCalls;
        if (isCancelled()) {
            newCalls.abortAll();
        }
    }

    /**
     * Remembers the handle of the model stream now running. The model hands it over with its
     * first chunk; a cancel that came earlier closes the stream right here.
     */
    void attachHandle(StreamingHandle newHandle) {
        if (newHandle == null || newHandle == handle) {
            return;
        }
        handle = newHandle;
        if (isCancelled()) {
            cancelQuietly(newHandle);
        }
    }

    /**
     * Forgets the handle once its turn is over. A cancel wakes the run thread before it reads the
     * handle, so the run thread may get here first: then this closes the stream itself.
     */
    void detachHandle() {
        StreamingHandle last = handle;
        ModelCalls lastCalls = calls;
        handle = null;
        calls = null;
        if (isCancelled()) {
            if (last != null) {
                cancelQuietly(last);
            }
            if (lastCalls != null) {
                lastCalls.abortAll();
            }
        }
    }

    void registerToolThread(Thread thread) {
        toolThreads.add(thread);
        if (isCancelled()) {
            thread.interrupt();
        }
    }

    void unregisterToolThread(Thread thread) {
        toolThreads.remove(thread);
    }

    /**
     * Closes the model stream now running, if any, without cancelling the run: through its handle,
     * and through its HTTP calls when the model has not handed a handle over yet.
     */
    void closeModelStream() {
        StreamingHandle current = handle;
        if (current != null) {
            cancelQuietly(current);
        }
        ModelCalls currentCalls = calls;
        if (currentCalls != null) {
            currentCalls.abortAll();
        }
    }

    /** Waits {@code delay} unless the run is cancelled first; returns false if it was. */
    boolean sleepUnlessCancelled(java.time.Duration delay) throws InterruptedException {
        try {
            cancelled.get(delay.toNanos(), TimeUnit.NANOSECONDS);
            return false;
        } catch (TimeoutException e) {
            return true;
        } catch (ExecutionException e) {
            // Never: the cancel future completes normally.
            return false;
        }
    }

    /**
     * Waits up to {@code timeoutNanos} for {@code work} unless the run is cancelled first.
     *
     * @return empty on timeout; else the work's result, or an inner empty if the run was cancelled
     * @throws ExecutionException if the work failed
     */
    <T> Optional<Optional<T>> awaitUnlessCancelled(CompletableFuture<T> work, long timeoutNanos)
        throws ExecutionException, InterruptedException {
        try {
            CompletableFuture.anyOf(work, cancelled).exceptionally(e -> null).get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(awaitUnlessCancelled(work));
    }

    /**
     * Waits for {@code work} unless the run is cancelled first.
     *
     * @return the work's result, or empty if the run was cancelled
     * @throws ExecutionException if the work failed
     */
    <T> Optional<T> awaitUnlessCancelled(CompletableFuture<T> work) throws ExecutionException, InterruptedException {
        CompletableFuture.anyOf(work, cancelled).exceptionally(e -> null).get();
        if (isCancelled()) {
            return Optional.empty();
        }
        return Optional.ofNullable(work.get());
    }

    private static void cancelQuietly(StreamingHandle streamingHandle) {
        try {
            if (!streamingHandle.isCancelled()) {
                streamingHandle.cancel();
            }
        } catch (RuntimeException e) {
            LOG.debug("closing the model stream failed", e);
        }
    }

    /** Why a run was stopped: a cancel's reason, or a failure (null for a cancel). */
    private record Stop(String reason, RuntimeException failure) {
    }
}
