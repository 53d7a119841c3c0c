package dev.agentstream.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.agentstream.event.EventJson;
import dev.agentstream.event.ReasoningContentDelta;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunEvent;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How run events become {@code run_events} rows and back. Each event is one row of its JSON,
 * except the deltas ({@code RunContent}, {@code ReasoningContentDelta}): a run's deltas of one kind
 * that follow each other share a row holding their joined text, each delta's length, seq and
 * creation time, so a run costs rows per flush, not per token, and expands back to the very
 * events a reader saw. Stateless; {@link Batch} is not thread-safe.
 */
final class EventRows {

    private EventRows() {
    }

    static boolean isDelta(RunEvent event) {
        return event instanceof RunContent || event instanceof ReasoningContentDelta;
    }

    /** The row of one non-delta event of a run in stream {@code streamId}. */
    static Row single(RunEvent event, String streamId) {
        return Row.of(Write.INSERT_EVENT, event.runId(), event.seq(), event.seq(), streamId, event.eventName(),
            EventJson.write(event));
    }

    /** True if a stored row of this type holds a batch of deltas (of the answer or its reasoning). */
    static boolean isDeltaRow(String eventType) {
        return isContentRow(eventType) || isReasoningRow(eventType);
    }

    static boolean isContentRow(String eventType) {
        return eventType.endsWith("RunContent");
    }

    static boolean isReasoningRow(String eventType) {
        return eventType.endsWith("ReasoningContentDelta");
    }

    /** The joined text of a delta row's deltas. */
    static String deltaText(String payload) {
        return batch(payload).text();
    }

    /** The events of one stored row, in seq order. */
    static List<RunEvent> expand(String eventType, String payload) {
        if (!isDeltaRow(eventType)) {
            return List.of(EventJson.readEvent(payload));
        }
        BatchPayload batch = batch(payload);
        boolean content = isContentRow(eventType);
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
            long seq = batch.seqs() == null ? batch.firstSeq() + i : batch.seqs()[i];
            events.add(content
                ? new RunContent(seq, batch.runId(), batch.sessionId(), batch.agentId(), batch.teamId(), batch.parentRunId(),
                    createdAt, text)
                : new ReasoningContentDelta(seq, batch.runId(), batch.sessionId(), batch.agentId(), batch.teamId(),
                    batch.parentRunId(), createdAt, text));
        }
        return events;
    }

    private static BatchPayload batch(String payload) {
        try {
            return EventJson.mapper().readValue(payload, BatchPayload.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The stored form of a batch of deltas.
     *
     * @param seqs each delta's seq, or null when they are {@code firstSeq, firstSeq + 1, …} (they
     *     are not when team members stream at once into one numbering)
     * @param createdAt runs of equal creation times: {@code [epochSeconds, count]} pairs
     */
    record BatchPayload(String runId, String sessionId, String agentId, String teamId, String parentRunId,
                        long firstSeq, long[] seqs, String text, int[] lengths, long[][] createdAt) {
    }

    /** One run's deltas of one kind, collected until {@link #seal()}. Not thread-safe. */
    static final class Batch {
        private final RunEvent first;
        private final String streamId;
        private final StringBuilder text = new StringBuilder();
        private int[] lengths = new int[16];
        private long[] seqs = new long[16];
        private int count;
        private boolean gaps;
        private final List<long[]> createdAt = new ArrayList<>();

        Batch(RunEvent first, String streamId) {
            this.first = first;
            this.streamId = streamId;
            add(first);
        }

        /** True if {@code event} is a delta of the same kind, so it may join this batch. */
        boolean accepts(RunEvent event) {
            return event.getClass() == first.getClass();
        }

        void add(RunEvent event) {
            String piece = event instanceof RunContent c ? c.content() : ((ReasoningContentDelta) event).reasoningContent();
            text.append(piece);
            if (count == lengths.length) {
                lengths = Arrays.copyOf(lengths, count * 2);
                seqs = Arrays.copyOf(seqs, count * 2);
            }
            if (count > 0 && event.seq() != seqs[count - 1] + 1) {
                gaps = true;
            }
            lengths[count] = piece.length();
            seqs[count++] = event.seq();
            long[] lastRun = createdAt.isEmpty() ? null : createdAt.getLast();
            if (lastRun != null && lastRun[0] == event.createdAt()) {
                lastRun[1]++;
            } else {
                createdAt.add(new long[] {event.createdAt(), 1});
            }
        }

        Row seal() {
            BatchPayload payload = new BatchPayload(first.runId(), first.sessionId(), first.agentId(), first.teamId(),
                first.parentRunId(), first.seq(), gaps ? Arrays.copyOf(seqs, count) : null, text.toString(),
                Arrays.copyOf(lengths, count), createdAt.toArray(long[][]::new));
            return Row.of(Write.INSERT_EVENT, first.runId(), first.seq(), seqs[count - 1], streamId, first.eventName(),
                EventJson.write(payload));
        }
    }
}
