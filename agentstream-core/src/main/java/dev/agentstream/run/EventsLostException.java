package dev.agentstream.run;

/**
 * A reader fell so far behind a run that the events it still needed were dropped from memory, and
 * no store could give them back. Thrown to the reader (or passed to {@code onError}) rather than
 * letting it skip events silently.
 */
public final class EventsLostException extends IllegalStateException {

    private final String runId;
    private final long firstLost;
    private final long lastLost;

    public EventsLostException(String runId, long firstLost, long lastLost) {
        super("events " + firstLost + ".." + lastLost + " of run " + runId + " were dropped from memory before this"
            + " reader got them, and no store holds them (read faster, raise the runtime's maxEventsPerRun, or give it"
            + " an EventReplay)");
        this.runId = runId;
        this.firstLost = firstLost;
        this.lastLost = lastLost;
    }

    public String runId() {
        return runId;
    }

    /** The seq of the first event this reader missed. */
    public long firstLost() {
        return firstLost;
    }

    /** The seq of the last event this reader missed. */
    public long lastLost() {
        return lastLost;
    }
}
