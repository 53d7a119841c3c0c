package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.RunHandle;
import dev.agentstream.RunRequest;
import dev.agentstream.Team;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

/** A team run and its members' runs share one stream: each is stored as a run, the stream replays whole. */
class TeamRunTest {

    private final Upstream leader = new Upstream();
    private final Upstream researcher = new Upstream();

    private Team team() {
        return Team.builder().id("research-team").name("Research team").model(leader.model()).modelName("gpt-test")
            .member(researcher.agent("researcher").name("Researcher").description("Finds facts").build()).build();
    }

    private static Script ask(String task) {
        return Script.toolCalls(ToolCall.of("call-1", "ask_researcher", "{\"task\":\"" + task + "\"}"));
    }

    @org.junit.jupiter.api.AfterEach
    void closeUpstreams() {
        leader.close();
        researcher.close();
    }

    @BothDatabases
    void teamRunStoresItsMembersRunsAndReplaysTheWholeStream(TestDatabase db) {
        leader.then(ask("Find the answer"), Script.text("The answer is ", "42."));
        researcher.then(Script.text("It is ", "42."));
        try (Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(team(), RunRequest.of("What is the answer?"));
            List<RunEvent> seen = Node.events(handle, 0);

            List<StoredRun> runs = node.store().runs(handle.sessionId());
            assertThat(runs).hasSize(2);
            StoredRun teamRun = runs.get(0);
            StoredRun memberRun = runs.get(1);
            assertThat(teamRun.runId()).isEqualTo(handle.runId());
            assertThat(teamRun.agentId()).isEqualTo("research-team");
            assertThat(teamRun.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(memberRun.agentId()).isEqualTo("researcher");
            assertThat(memberRun.parentRunId()).isEqualTo(handle.runId());
            assertThat(memberRun.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(node.store().messages(handle.sessionId()))
                .extracting(m -> m.runId().equals(handle.runId()) ? "team " + m.role() : "member " + m.role(),
                    StoredMessage::content)
                .containsExactly(
                    org.assertj.core.groups.Tuple.tuple("team user", "What is the answer?"),
                    org.assertj.core.groups.Tuple.tuple("team assistant", "The answer is 42."),
                    org.assertj.core.groups.Tuple.tuple("team tool", "It is 42."),
                    org.assertj.core.groups.Tuple.tuple("member user", "Find the answer"),
                    org.assertj.core.groups.Tuple.tuple("member assistant", "It is 42."));

            assertThat(node.store().eventsAfter(handle.runId(), 0)).isEqualTo(seen);
            assertThat(node.store().eventsAfter(memberRun.runId(), 0))
                .isEqualTo(seen.stream().filter(e -> e.runId().equals(memberRun.runId())).toList());
        }
    }

    @BothDatabases
    void abandonedTeamStreamEndsWithTheMembersEndThenTheTeams(TestDatabase db) {
        leader.then(ask("Find the answer"));
        researcher.then(Script.text("Half", " done").stallAfter(1));
        RunHandle handle;
        try (Node first = Node.open(db, o -> o.leaseDuration(Duration.ofSeconds(30)).closeGrace(Duration.ZERO))) {
            handle = first.runtime.start(team(), RunRequest.of("What is the answer?"));
            await().until(() -> handle.output().content().isEmpty() && first.store().runs(handle.sessionId()).size() == 2
                && first.store().eventsAfter(handle.runId(), 0).size() == handle.log().lastSeq()
                && first.store().eventsAfter(handle.runId(), 0).stream().anyMatch(e -> e.eventName().equals("RunContent")));
            // The process dies: no end of the member or the team is ever written.
            first.storage.close();
        }
        try (Node second = Node.open(db, o -> o.nodeId("node-b").clock(MutableClock.ahead(Duration.ofSeconds(31))))) {
            List<StoredRun> runs = second.store().runs(handle.sessionId());
            assertThat(runs).extracting(StoredRun::status).containsOnly(RunStatus.INTERRUPTED);
            assertThat(second.storedAnswer(handle.sessionId())).isEmpty();

            List<RunEvent> replay = second.store().eventsAfter(handle.runId(), 0);
            assertThat(replay).extracting(RunEvent::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, replay.size()).boxed().toList());
            RunEvent memberEnd = replay.get(replay.size() - 2);
            assertThat(memberEnd).isInstanceOf(RunCancelled.class);
            assertThat(memberEnd.runId()).isEqualTo(runs.get(1).runId());
            assertThat(memberEnd.parentRunId()).isEqualTo(handle.runId());
            assertThat(((RunCancelled) memberEnd).content()).isEqualTo("Half");
            assertThat(replay.getLast()).isInstanceOf(RunCancelled.class);
            assertThat(replay.getLast().eventName()).isEqualTo("TeamRunCancelled");
            assertThat(replay.getLast().teamId()).isEqualTo("research-team");
            assertThat(replay.getLast().isTerminal()).isTrue();
        }
    }

    @BothDatabases
    void aTeamPausedByItsMemberContinuesOnAnotherNodeFromTheStoredState(TestDatabase db) {
        Team team = Team.builder().id("mail-team").name("Mail team").model(leader.model()).modelName("gpt-test")
            .member(researcher.agent("researcher", new TestTools()).name("Researcher").description("Sends mail")
                .requireConfirmation("sendEmail").build()).build();
        leader.then(ask("Email Bob"), Script.text("Emailed."));
        researcher.then(Script.toolCalls(ToolCall.of("m1", "sendEmail", "{\"to\":\"bob@example.com\"}")),
            Script.text("Sent."));
        String runId;
        long pausedAt;
        try (Node first = Node.open(db, o -> o.nodeId("node-a"))) {
            RunHandle handle = first.runtime.start(team, RunRequest.of("Email Bob"));
            List<RunEvent> paused = Node.events(handle, 0);
            assertThat(paused.getLast().eventName()).isEqualTo("TeamRunPaused");
            runId = handle.runId();
            pausedAt = paused.getLast().seq();
        }
        try (Node second = Node.open(db, o -> o.nodeId("node-b"))) {
            var state = second.store().pausedState(runId).orElseThrow();
            assertThat(state.members()).extracting(member -> member.run().delegationCallId()).containsExactly("call-1");

            var outcome = second.runtime.resume(team, state, List.of(dev.agentstream.ToolDecision.confirm("m1")));

            assertThat(outcome).isInstanceOf(dev.agentstream.AgentRuntime.ContinueOutcome.Continued.class);
            RunHandle resumed = ((dev.agentstream.AgentRuntime.ContinueOutcome.Continued) outcome).handle();
            List<RunEvent> after = Node.events(resumed, pausedAt);
            assertThat(after).extracting(RunEvent::eventName).containsExactly("TeamRunContinued", "RunContinued",
                "ToolCallCompleted", "RunContent", "RunContentCompleted", "RunCompleted", "TeamToolCallCompleted",
                "TeamRunContent", "TeamRunContentCompleted", "TeamRunCompleted");
            assertThat(after.getFirst().seq()).isEqualTo(pausedAt + 1);
            assertThat(second.store().runs(resumed.sessionId())).extracting(StoredRun::status, StoredRun::ownerNode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(RunStatus.COMPLETED, "node-b"),
                    org.assertj.core.groups.Tuple.tuple(RunStatus.COMPLETED, "node-b"));
        }
    }
}
