package dev.agentstream.run;

import dev.agentstream.event.RunEvent;
import java.util.List;

/**
 * Where a reader that fell behind a run's in-memory log gets the dropped events back: the store
 * that recorded them. Given to the runtime; without one, such a reader fails with
 * {@link EventsLostException} instead of skipping events.
 *
 * <p>Thread contract: thread-safe; called on reader threads.
 */
@FunctionalInterface
public interface EventReplay {

    /** Nothing is stored anywhere: events dropped from memory are gone. */
    EventReplay NONE = (runId, afterSeq) -> List.of();

    /**
     * The stored events of the run's stream with seq greater than {@code afterSeq}, in seq order.
     * May end early: what is not stored yet is simply missing.
     */
    List<RunEvent> eventsAfter(String runId, long afterSeq);
}
