package dev.agentstream.run;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Carries "stop run X" to whichever process executes X. The in-process implementation serves one
 * node; a Redis one carries cancels across nodes.
 *
 * <p>A cancel may arrive before the run registers (the client knew the id first): implementations
 * remember the intent for a while, and {@link #pendingCancel} lets a run that starts late see it.
 * Implementations are thread-safe.
 */
public interface CancellationBus extends AutoCloseable {

    /** Asks for the run to be cancelled, wherever it runs. Any thread; never blocks for long. */
    void requestCancel(String runId, String reason);

    /** The reason of a cancel requested for this run and still remembered, if any. */
    Optional<String> pendingCancel(String runId);

    /**
     * Registers a listener for cancel requests of every run; called on a bus thread, so it must not
     * block. Returns a handle that unsubscribes.
     */
    AutoCloseable subscribe(Consumer<CancelRequest> listener);

    @Override
    void close();

    /** A request to stop one run. */
    record CancelRequest(String runId, String reason) {
    }
}
