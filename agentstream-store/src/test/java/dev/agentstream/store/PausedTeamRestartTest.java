package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.AgentRuntime;
import dev.agentstream.RunHandle;
import dev.agentstream.RunRequest;
import dev.agentstream.Team;
import dev.agentstream.ToolDecision;
import dev.agentstream.event.RunCancelled;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.run.PausedRun;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;

/**
 * A team whose member paused for a person, paused across a restart: a fresh runtime over the same
 * database gets the members' paused state from the store, continues the member with the person's
 * decision, then the leader finishes; or cancels team and member.
 */
class PausedTeamRestartTest {

    private final Upstream leader = new Upstream();
    private final Upstream researcher = new Upstream();

    private Team team() {
        return Team.builder().id("research-team").model(leader.model()).modelName("gpt-test")
            .member(researcher.agent("researcher", new TestTools()).requireConfirmation("sendEmail")
                .description("Emails people").build())
            .build();
    }

    @AfterEach
    void closeUpstreams() {
        leader.close();
        researcher.close();
    }

    /** Runs the team on a first node until it pauses for the member's email; returns what a reader saw. */
    private List<RunEvent> pausedOnAFirstNode(TestDatabase db) {
        leader.then(Script.toolCalls(ToolCall.of("call-1", "ask_researcher", "{\"task\":\"Email Bob\"}")));
        researcher.then(Script.builder().text("Sending. ")
            .toolCalls(ToolCall.of("call-m1", "sendEmail", "{\"to\":\"bob@example.com\"}")).build());
        try (Node first = Node.open(db)) {
            RunHandle handle = first.runtime.start(team(), RunRequest.of("Get Bob emailed"));
            List<RunEvent> seen = Node.events(handle, 0);
            assertThat(handle.status()).isEqualTo(RunStatus.PAUSED);
            return seen;
        }
    }

    @BothDatabases
    void aFreshRuntimeContinuesThePausedMemberThenTheLeaderFinishes(TestDatabase db) {
        List<RunEvent> seen = new ArrayList<>(pausedOnAFirstNode(db));
        String teamRunId = seen.getFirst().runId();
        researcher.then(Script.text("Sent to Bob."));
        leader.then(Script.text("Bob has been emailed."));

        try (Node second = Node.open(db, o -> o.nodeId("node-b"))) {
            PausedRun state = second.store().pausedState(teamRunId).orElseThrow();
            assertThat(state.members()).singleElement().satisfies(member -> {
                assertThat(member.run().delegationCallId()).isEqualTo("call-1");
                assertThat(member.requirements()).extracting(r -> r.toolCallId()).containsExactly("call-m1");
            });
            AgentRuntime.ContinueOutcome outcome = second.runtime.resume(team(), state,
                List.of(ToolDecision.confirm("call-m1")));
            assertThat(outcome).isInstanceOf(AgentRuntime.ContinueOutcome.Continued.class);
            RunHandle resumed = ((AgentRuntime.ContinueOutcome.Continued) outcome).handle();
            seen.addAll(Node.events(resumed, state.lastSeq()));

            assertThat(resumed.output().content()).isEqualTo("Bob has been emailed.");
            assertThat(researcher.conversation(1)).contains("tool call-m1: sent to bob@example.com");
            assertThat(leader.conversation(1)).contains("tool call-1: Sending. Sent to Bob.");
            List<StoredRun> runs = second.store().runs(resumed.sessionId());
            assertThat(runs).extracting(StoredRun::agentId, StoredRun::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("research-team", RunStatus.COMPLETED),
                org.assertj.core.groups.Tuple.tuple("researcher", RunStatus.COMPLETED));
            assertThat(second.store().eventsAfter(teamRunId, 0)).isEqualTo(seen);
            assertThat(seen).extracting(RunEvent::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, seen.size()).boxed().toList());
        }
    }

    @BothDatabases
    void aFreshRuntimeCancelsThePausedTeamAndItsPausedMember(TestDatabase db) {
        String teamRunId = pausedOnAFirstNode(db).getFirst().runId();

        try (Node second = Node.open(db, o -> o.nodeId("node-b"))) {
            PausedRun state = second.store().pausedState(teamRunId).orElseThrow();
            RunHandle cancelled = second.runtime.cancelPaused(team(), state, AgentRuntime.REASON_CANCELLED);

            assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(second.store().runs(cancelled.sessionId())).extracting(StoredRun::status)
                .containsExactly(RunStatus.CANCELLED, RunStatus.CANCELLED);
            assertThat(second.store().pausedState(teamRunId)).isEmpty();
            List<RunEvent> replay = second.store().eventsAfter(teamRunId, state.lastSeq());
            assertThat(replay).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOf(RunCancelled.class));
            assertThat(replay.getFirst().runId()).isEqualTo(state.members().getFirst().run().runId());
            assertThat(replay.getLast().runId()).isEqualTo(teamRunId);
            assertThat(second.runtime.continueRun(teamRunId, List.of(ToolDecision.confirm("call-m1"))))
                .isInstanceOf(AgentRuntime.ContinueOutcome.NotPaused.class);
        }
    }
}
