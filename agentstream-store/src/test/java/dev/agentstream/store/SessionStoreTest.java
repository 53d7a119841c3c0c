package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.Agent;
import dev.agentstream.RunOutput;
import dev.agentstream.RunRequest;
import dev.agentstream.testkit.Script;
import java.time.Duration;

class SessionStoreTest {

    @BothDatabases
    void sessionsAreListedPerUserNewestFirstAndByAgent(TestDatabase db) throws Exception {
        MutableClock clock = new MutableClock();
        try (Upstream upstream = new Upstream().then(Script.text("1"), Script.text("2"), Script.text("3"), Script.text("4"));
             Node node = Node.open(db, o -> o.clock(clock))) {
            Agent assistant = upstream.agent();
            Agent other = upstream.agent("other").build();
            String oldest = node.run(assistant, RunRequest.of("oldest").withUserId("ann")).sessionId();
            clock.advance(Duration.ofMinutes(1));
            String middle = node.run(other, RunRequest.of("middle").withUserId("ann")).sessionId();
            clock.advance(Duration.ofMinutes(1));
            String newest = node.run(assistant, RunRequest.of("newest").withUserId("ann")).sessionId();
            String bobs = node.run(assistant, RunRequest.of("bob's").withUserId("bob")).sessionId();
            SessionStore store = node.store();

            assertThat(store.listSessions("ann", null, 10, 0)).extracting(StoredSession::sessionId)
                .containsExactly(newest, middle, oldest);
            assertThat(store.listSessions("ann", null, 1, 1)).extracting(StoredSession::sessionId).containsExactly(middle);
            assertThat(store.listSessions("ann", "assistant", 10, 0)).extracting(StoredSession::sessionId)
                .containsExactly(newest, oldest);
            assertThat(store.listSessions("bob", null, 10, 0)).extracting(StoredSession::sessionId).containsExactly(bobs);
            assertThat(store.listSessions("carol", null, 10, 0)).isEmpty();
        }
    }

    @BothDatabases
    void deletingASessionRemovesItsRunsMessagesAndEvents(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(Script.text("kept"), Script.text("gone")); Node node = Node.open(db)) {
            RunOutput kept = node.run(upstream.agent(), RunRequest.of("keep me"));
            RunOutput gone = node.run(upstream.agent(), RunRequest.of("delete me"));
            SessionStore store = node.store();

            assertThat(store.deleteSession(gone.sessionId())).isTrue();
            assertThat(store.deleteSession(gone.sessionId())).isFalse();

            assertThat(store.findSession(gone.sessionId())).isEmpty();
            assertThat(store.findRun(gone.runId())).isEmpty();
            assertThat(store.runs(gone.sessionId())).isEmpty();
            assertThat(store.messages(gone.sessionId())).isEmpty();
            assertThat(store.eventsAfter(gone.runId(), 0)).isEmpty();
            assertThat(db.queryLong("SELECT COUNT(*) FROM run_events WHERE run_id = ?", gone.runId())).isZero();
            assertThat(store.messages(kept.sessionId())).hasSize(2);
            assertThat(store.eventsAfter(kept.runId(), 0)).isNotEmpty();
        }
    }

    @BothDatabases
    void idempotencyKeyPointsAtTheRunThatClaimedItFirst(TestDatabase db) {
        try (Node node = Node.open(db)) {
            SessionStore store = node.store();

            assertThat(store.claimIdempotencyKey("ann", "key-1", "run-1")).isEmpty();
            assertThat(store.claimIdempotencyKey("ann", "key-1", "run-2")).contains("run-1");
            assertThat(store.claimIdempotencyKey("ann", "key-1", "run-1")).isEmpty();
            assertThat(store.claimIdempotencyKey("bob", "key-1", "run-3")).isEmpty();
        }
    }

    @BothDatabases
    void expiredIdempotencyKeyCanBeClaimedAgain(TestDatabase db) {
        MutableClock clock = new MutableClock();
        try (Node node = Node.open(db, o -> o.clock(clock).idempotencyKeyTtl(Duration.ofHours(1)))) {
            SessionStore store = node.store();
            store.claimIdempotencyKey("ann", "key-1", "run-1");
            clock.advance(Duration.ofHours(2));

            assertThat(store.claimIdempotencyKey("ann", "key-1", "run-2")).isEmpty();
            assertThat(store.claimIdempotencyKey("ann", "key-1", "run-3")).contains("run-2");
        }
    }

    @BothDatabases
    void unknownIdsGiveEmptyResults(TestDatabase db) {
        try (Node node = Node.open(db)) {
            SessionStore store = node.store();

            assertThat(store.findSession("nope")).isEmpty();
            assertThat(store.findRun("nope")).isEmpty();
            assertThat(store.runs("nope")).isEmpty();
            assertThat(store.messages("nope")).isEmpty();
            assertThat(store.eventsAfter("nope", 0)).isEmpty();
            assertThat(store.pausedState("nope")).isEmpty();
            assertThat(store.deleteSession("nope")).isFalse();
        }
    }
}
