package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.Agent;
import dev.agentstream.RunHandle;
import dev.agentstream.RunOutput;
import dev.agentstream.RunRequest;
import dev.agentstream.event.RunContent;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.testkit.Script;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

class CompletedRunTest {

    @BothDatabases
    void runStartIsStoredBeforeAnyReaderSeesIt(TestDatabase db) {
        try (Upstream upstream = new Upstream().then(Script.stallBeforeResponse()); Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(upstream.agent(), RunRequest.of("What is the time?").withUserId("ann"));
            await().until(() -> handle.log().lastSeq() >= 1);

            // No waiting here: a reader that sees RunStarted can already read the run back.
            StoredRun run = node.store().findRun(handle.runId()).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(run.ownerNode()).isEqualTo("node-a");
            assertThat(run.leaseExpiresAt()).isAfter(run.startedAt());
            assertThat(run.userId()).isEqualTo("ann");
            assertThat(run.agentId()).isEqualTo("assistant");
            assertThat(run.parentRunId()).isNull();
            List<StoredMessage> messages = node.store().messages(handle.sessionId());
            assertThat(messages).extracting(StoredMessage::role).containsExactly("user", "assistant");
            assertThat(messages.get(0).content()).isEqualTo("What is the time?");
            assertThat(messages.get(0).messageId()).isEqualTo(run.userMessageId());
            assertThat(messages.get(1).messageId()).isEqualTo(run.assistantMessageId());
            assertThat(messages.get(1).content()).isEmpty();
            assertThat(messages.get(1).completedAt()).isNull();
            assertThat(node.store().findSession(handle.sessionId()).orElseThrow()).satisfies(s -> {
                assertThat(s.userId()).isEqualTo("ann");
                assertThat(s.agentId()).isEqualTo("assistant");
                assertThat(s.title()).isEqualTo("What is the time?");
            });
        }
    }

    @BothDatabases
    void completedRunStoresTheAnswerTokensAndTimes(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(Script.text("It is ", "noon.").usage(10, 5)); Node node = Node.open(db)) {
            RunOutput output = node.run(upstream.agent(), RunRequest.of("What is the time?"));

            StoredRun run = node.store().findRun(output.runId()).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.completedAt()).isNotNull().isAfterOrEqualTo(run.startedAt());
            assertThat(run.leaseExpiresAt()).isNull();
            assertThat(List.of(run.inputTokens(), run.outputTokens(), run.totalTokens())).containsExactly(10L, 5L, 15L);
            assertThat(run.lastSeq()).isEqualTo(output.lastSeq());
            StoredMessage answer = node.store().messages(output.sessionId()).get(1);
            assertThat(answer.content()).isEqualTo("It is noon.");
            assertThat(answer.completedAt()).isNotNull();
            assertThat(answer.interrupted()).isFalse();
            assertThat(answer.error()).isNull();
        }
    }

    @BothDatabases
    void sessionKeepsItsFirstTitleAndMovesItsUpdateTime(TestDatabase db) throws Exception {
        MutableClock clock = new MutableClock();
        try (Upstream upstream = new Upstream().then(Script.text("One."), Script.text("Two."));
             Node node = Node.open(db, o -> o.clock(clock))) {
            Agent agent = upstream.agent();
            RunOutput first = node.run(agent, RunRequest.of("First question\nwith a second line"));
            StoredSession before = node.store().findSession(first.sessionId()).orElseThrow();
            clock.advance(Duration.ofMinutes(5));
            node.run(agent, RunRequest.of("Second question").withSessionId(first.sessionId()));

            StoredSession after = node.store().findSession(first.sessionId()).orElseThrow();
            assertThat(after.title()).isEqualTo("First question");
            assertThat(after.createdAt()).isEqualTo(before.createdAt());
            assertThat(after.updatedAt()).isAfter(before.updatedAt().plus(Duration.ofMinutes(4)));
            assertThat(node.store().runs(first.sessionId())).hasSize(2);
            assertThat(node.store().messages(first.sessionId())).extracting(StoredMessage::content)
                .containsExactly("First question\nwith a second line", "One.", "Second question", "Two.");
        }
    }

    @BothDatabases
    void replayingStoredEventsGivesWhatAReaderSaw(TestDatabase db) {
        try (Upstream upstream = new Upstream().then(Script.builder().reasoning("Think", "ing").text("Hel", "lo, ", "wor",
                "ld", "!").usage(3, 4).build());
             Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(upstream.agent(), RunRequest.of("Say hello"));
            List<RunEvent> seen = Node.events(handle, 0);

            assertThat(node.store().eventsAfter(handle.runId(), 0)).isEqualTo(seen);
            assertThat(node.store().eventsAfter(handle.runId(), 3)).isEqualTo(seen.subList(3, seen.size()));
            assertThat(node.store().eventsAfter(handle.runId(), seen.size())).isEmpty();
        }
    }

    @BothDatabases
    void contentDeltasCostRowsPerFlushNotPerToken(TestDatabase db) throws Exception {
        String[] tokens = IntStream.range(0, 2000).mapToObj(i -> "t" + i + " ").toArray(String[]::new);
        try (Upstream upstream = new Upstream().then(Script.text(tokens)); Node node = Node.open(db)) {
            long statementsBefore = node.storage.stats().statements();
            RunOutput output = node.run(upstream.agent(), RunRequest.of("Count"));
            long statements = node.storage.stats().statements() - statementsBefore;

            assertThat(output.content()).isEqualTo(String.join("", tokens));
            assertThat(statements).isLessThan(40);
            assertThat(db.queryLong("SELECT COUNT(*) FROM run_events WHERE run_id = ?", output.runId())).isLessThan(15);
            List<RunEvent> replay = node.store().eventsAfter(output.runId(), 0);
            assertThat(replay).filteredOn(RunContent.class::isInstance).hasSize(tokens.length);
        }
    }
}
