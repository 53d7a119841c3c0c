package dev.agentstream.server.run;

import java.util.Optional;

/** What to do with a new run in a session that has a run going. */
public enum Multitask {
    /** Refuse the new run (409). */
    REJECT,
    /** Start the new run once the runs before it in the session ended. */
    ENQUEUE,
    /** Cancel the running run (and any waiting ones), then start the new one. */
    INTERRUPT;

    /** The strategy named {@code wire} ({@code reject}, {@code enqueue}, {@code interrupt}), if it is one. */
    public static Optional<Multitask> fromWire(String wire) {
        return WireNames.parse(Multitask.class, wire);
    }

    public String wire() {
        return WireNames.of(this);
    }
}
