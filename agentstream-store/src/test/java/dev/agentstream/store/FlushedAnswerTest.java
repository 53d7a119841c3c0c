package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.event.Metrics;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunContinued;
import dev.agentstream.event.RunPaused;
import dev.agentstream.event.RunStatus;
import dev.agentstream.run.PausedRun;
import dev.agentstream.run.RunInfo;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A streamed answer is written once, as {@code run_events} rows, and the assistant message gets
 * its whole text when its segment ends; whoever reads a message mid-stream still gets what was
 * flushed so far.
 */
class FlushedAnswerTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    @BothDatabases
    void messagesReadMidStreamHoldTheFlushedAnswerAndReasoning(TestDatabase db) {
        try (Storage storage = Storage.open(db.options().build())) {
            FedRun run = new FedRun(storage.recorder()).start().reasoning("Let me ", "think.").content("Hello ", "wor");

            await().until(() -> answer(storage, run).content().equals("Hello wor"));
            assertThat(answer(storage, run).reasoningContent()).isEqualTo("Let me think.");
            assertThat(answer(storage, run).completedAt()).isNull();

            run.content("ld").reasoning(" Done.");
            await().until(() -> answer(storage, run).content().equals("Hello world"));
            assertThat(answer(storage, run).reasoningContent()).isEqualTo("Let me think. Done.");
            // The message row itself is still as inserted: the deltas live in the run's event rows only.
            assertThat(db.queryText("SELECT content FROM messages WHERE message_id = ?", answer(storage, run).messageId()))
                .isEmpty();
        }
    }

    @BothDatabases
    void theAnswerIsWrittenOnceWhenItEndsNotEveryFlush(TestDatabase db) {
        try (Storage storage = Storage.open(db.options().build())) {
            WriterStats stats = storage.writerStats();
            FedRun run = new FedRun(storage.recorder()).start();
            String messageId = answer(storage, run).messageId();
            String rowVersion = rowVersion(db, messageId);
            long eventRowsBefore = stats.statements(Write.INSERT_EVENT);

            StringBuilder streamed = new StringBuilder();
            for (int flush = 0; flush < 5; flush++) {
                String piece = "piece " + flush + ". ";
                run.content(piece);
                streamed.append(piece);
                await().until(() -> answer(storage, run).content().contentEquals(streamed));
            }

            assertThat(stats.statements(Write.INSERT_EVENT) - eventRowsBefore).isGreaterThanOrEqualTo(5);
            assertThat(stats.statements(Write.INSERT_MESSAGE)).isEqualTo(2);
            assertThat(stats.statements(Write.FINISH_MESSAGE)).isZero();
            // PostgreSQL: an UPDATE writes a new row version (and a TOASTed answer anew): none happened.
            assertThat(rowVersion(db, messageId)).isEqualTo(rowVersion);

            run.emit(h -> new RunCompleted(h, streamed.toString(), null, Metrics.EMPTY));
            assertThat(stats.statements(Write.FINISH_MESSAGE)).isEqualTo(1);
            assertThat(answer(storage, run).content()).isEqualTo(streamed.toString());
            assertThat(db.queryLong("SELECT content_seq FROM messages WHERE message_id = ?", messageId))
                .isEqualTo(run.lastSeq());
        }
    }

    @BothDatabases
    void aCancelWritesTheWholeAnswerWithTheReasoningItDoesNotCarry(TestDatabase db) {
        try (Storage storage = Storage.open(db.options().build())) {
            FedRun run = new FedRun(storage.recorder()).start().reasoning("Hmm, ").content("Once");
            await().until(() -> answer(storage, run).content().equals("Once"));
            run.reasoning("right.").content(" upon");

            run.emit(h -> new RunCancelled(h, RunCancelled.REASON_CANCELLED, "Once upon"));

            StoredMessage answer = answer(storage, run);
            assertThat(answer.content()).isEqualTo("Once upon");
            assertThat(answer.reasoningContent()).isEqualTo("Hmm, right.");
            assertThat(answer.interrupted()).isTrue();
            assertThat(db.queryText("SELECT reasoning_content FROM messages WHERE message_id = ?", answer.messageId()))
                .isEqualTo("Hmm, right.");
        }
    }

    @BothDatabases
    void aContinuedRunReadMidStreamHoldsItsAnswerFromBeforeThePauseAndAfter(TestDatabase db) {
        try (Storage storage = Storage.open(db.options().build())) {
            FedRun run = new FedRun(storage.recorder()).start().content("Before. ");
            storage.recorder().onPaused(run.info, new PausedRun(run.info, "[]", List.of(), List.of(), "Before. ", null, 1,
                2, run.lastSeq() + 1, run.info.startedAt().toEpochMilli()));
            run.emit(h -> new RunPaused(h, List.of(), List.of()));
            assertThat(db.queryText("SELECT content FROM messages WHERE message_id = ?", answer(storage, run).messageId()))
                .isEqualTo("Before. ");

            run.emit(RunContinued::new);
            run.content("After.");

            await().until(() -> answer(storage, run).content().equals("Before. After."));
            assertThat(storage.store().findRun(run.info.runId()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        }
    }

    @BothDatabases
    void leaseRecoveryKeepsTheFlushedAnswerAndReasoningAndHistoryShowsThem(TestDatabase db) {
        FedRun run;
        // No close grace: closing this storage stands for the process dying mid-answer.
        try (Storage dying = Storage.open(db.options().leaseDuration(LEASE).closeGrace(Duration.ZERO).build())) {
            run = new FedRun(dying.recorder()).start().reasoning("Thinking.").content("Hello ", "world");
            FedRun fed = run;
            await().until(() -> answer(dying, fed).content().equals("Hello world"));
        }

        try (Storage other = Storage.open(db.options().nodeId("node-b").clock(MutableClock.ahead(LEASE.plusSeconds(1)))
            .build())) {
            assertThat(other.store().findRun(run.info.runId()).orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
            StoredMessage answer = answer(other, run);
            assertThat(answer.content()).isEqualTo("Hello world");
            assertThat(answer.reasoningContent()).isEqualTo("Thinking.");
            assertThat(answer.interrupted()).isTrue();
            assertThat(db.queryText("SELECT content FROM messages WHERE message_id = ?", answer.messageId()))
                .isEqualTo("Hello world");
            assertThat(other.store().eventsAfter(run.info.runId(), 0).getLast())
                .isInstanceOfSatisfying(RunCancelled.class, end -> assertThat(end.content()).isEqualTo("Hello world"));

            RunInfo next = new RunInfo("next-run", run.info.sessionId(), "user-1", "assistant", null, "Go on", Instant.now());
            List<ChatMessage> history = other.recorder().history(next);
            assertThat(history.getLast()).isInstanceOfSatisfying(AiMessage.class,
                m -> assertThat(m.text()).isEqualTo("Hello world\n\n" + HistoryReader.NOTE_SERVER));
        }
    }

    private static StoredMessage answer(Storage storage, FedRun run) {
        List<StoredMessage> messages = storage.store().messages(run.info.sessionId());
        assertThat(messages).hasSizeGreaterThanOrEqualTo(2);
        return messages.get(1);
    }

    /** PostgreSQL's version of the row (its xmin), which every UPDATE changes; SQLite has none to show. */
    private static String rowVersion(TestDatabase db, String messageId) {
        return db.isPostgres() ? db.queryText("SELECT xmin::text FROM messages WHERE message_id = ?", messageId) : "";
    }
}
