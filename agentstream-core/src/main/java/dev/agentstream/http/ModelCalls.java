package dev.agentstream.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The calls a thread starts through {@link ModelHttpClient} while it runs {@link #record}, so that
 * their connections can be closed before the model hands over a stream handle: LangChain4j gives
 * one only with the first chunk, and a model server that accepts a call and then says nothing (or
 * sends headers and nothing more) would otherwise keep its connection until the client's own timeout.
 *
 * <p>Thread contract: thread-safe; {@link #abortAll} may be called from any thread, also while calls
 * are being recorded.
 */
public final class ModelCalls {

    private static final ThreadLocal<ModelCalls> CURRENT = new ThreadLocal<>();

    private final List<Runnable> aborts = new CopyOnWriteArrayList<>();
    private volatile boolean aborted;

    /** Runs {@code call} on this thread, recording the model calls it starts. */
    public void record(Runnable call) {
        ModelCalls outer = CURRENT.get();
        CURRENT.set(this);
        try {
            call.run();
        } finally {
            CURRENT.set(outer);
        }
    }

    /** Aborts every call recorded, and any recorded later: their connections are closed now. */
    public void abortAll() {
        aborted = true;
        aborts.forEach(Runnable::run);
    }

    /** Called by the client for each call it starts on a recording thread. */
    static void started(Runnable abort) {
        ModelCalls calls = CURRENT.get();
        if (calls != null) {
            calls.aborts.add(abort);
            if (calls.aborted) {
                abort.run();
            }
        }
    }
}
