package dev.agentstream.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.agentstream.event.EventJson;
import dev.agentstream.event.ReasoningContentDelta;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunEvent;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How run events become {@code run_events} rows and back. Each event is one row of its JSON,
 * except the deltas ({@code RunContent}, {@code ReasoningContentDelta}): consecutive deltas of one
 * kind share a row holding their joined text, each delta's length and their creation times, so a
 * run costs rows per flush, not per token, and expands back to the very events a reader saw.
 * Stateless; {@link Batch} is not thread-safe.
 */
final class EventRows {

    private static final String CONTENT = "RunContent";
    private static final String REASONING = "ReasoningContentDelta";

    private EventRows() {
    }

    static boolean isDelta(RunEvent event) {
        return event instanceof RunContent || event instanceof ReasoningContentDelta;
    }

    /** The row of one non-delta event. */
    static Row single(RunEvent event) {
        return Row.of(Write.INSERT_EVENT, event.runId(), event.seq(), event.seq(), event.eventName(),
            EventJson.write(event));
    }

    /** The events of one stored row, in seq order. */
    static List<RunEvent> expand(String eventType, String payload) {
        if (!CONTENT.equals(eventType) && !REASONING.equals(eventType)) {
            return List.of(EventJson.readEvent(payload));
        }
        BatchPayload batch;
        try {
            batch = EventJson.mapper().readValue(payload, BatchPayload.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        List<RunEvent> events = new ArrayList<>(batch.lengths().length);
        int offset = 0;
        int timeRun = 0;
        long usedOfRun = 0;
        for (int i = 0; i < batch.lengths().length; i++) {
            while (usedOfRun == batch.createdAt()[timeRun][1]) {
                timeRun++;
                usedOfRun = 0;
            }
            usedOfRun++;
            long createdAt = batch.createdAt()[timeRun][0];
            String text = batch.text().substring(offset, offset + batch.lengths()[i]);
            offset += batch.lengths()[i];
            long seq = batch.firstSeq() + i;
            events.add(CONTENT.equals(eventType)
                ? new RunContent(seq, batch.runId(), batch.sessionId(), batch.agentId(), batch.parentRunId(), createdAt, text)
                : new ReasoningContentDelta(seq, batch.runId(), batch.sessionId(), batch.agentId(), batch.parentRunId(),
                    createdAt, text));
        }
        return events;
    }

    /**
     * The stored form of a batch of deltas.
     *
     * @param createdAt runs of equal creation times: {@code [epochSeconds, count]} pairs
     */
    record BatchPayload(String runId, String sessionId, String agentId, String parentRunId, long firstSeq, String text,
                        int[] lengths, long[][] createdAt) {
    }

    /** Consecutive deltas of one kind, collected until {@link #seal()}. Not thread-safe. */
    static final class Batch {
        private final RunEvent first;
        private final StringBuilder text = new StringBuilder();
        private int[] lengths = new int[16];
        private int count;
        private final List<long[]> createdAt = new ArrayList<>();
        private long lastSeq;

        Batch(RunEvent first) {
            this.first = first;
            add(first);
        }

        /** True if {@code event} is the next delta of the same kind. */
        boolean accepts(RunEvent event) {
            return event.getClass() == first.getClass() && event.seq() == lastSeq + 1;
        }

        void add(RunEvent event) {
            String piece = event instanceof RunContent c ? c.content() : ((ReasoningContentDelta) event).reasoningContent();
            text.append(piece);
            if (count == lengths.length) {
                lengths = java.util.Arrays.copyOf(lengths, count * 2);
            }
            lengths[count++] = piece.length();
            long[] lastRun = createdAt.isEmpty() ? null : createdAt.getLast();
            if (lastRun != null && lastRun[0] == event.createdAt()) {
                lastRun[1]++;
            } else {
                createdAt.add(new long[] {event.createdAt(), 1});
            }
            lastSeq = event.seq();
        }

        Row seal() {
            BatchPayload payload = new BatchPayload(first.runId(), first.sessionId(), first.agentId(), first.parentRunId(),
                first.seq(), text.toString(), java.util.Arrays.copyOf(lengths, count), createdAt.toArray(long[][]::new));
            return Row.of(Write.INSERT_EVENT, first.runId(), first.seq(), lastSeq, first.eventName(),
                EventJson.write(payload));
        }
    }
}
