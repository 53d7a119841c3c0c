package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.Agent;
import dev.agentstream.AgentRuntime;
import dev.agentstream.RunHandle;
import dev.agentstream.RunOutput;
import dev.agentstream.RunRequest;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the model receives, on the wire, from earlier runs of its session. */
class HistoryTest {

    @BothDatabases
    void nextRunGivesTheModelTheEarlierMessagesOfItsSession(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(Script.toolCalls(ToolCall.of("call-1", "weather", "{\"city\":\"Paris\"}")),
                Script.text("Sunny", "."), Script.text("Yes."));
             Node node = Node.open(db)) {
            Agent agent = upstream.agent(new TestTools());
            RunOutput first = node.run(agent, RunRequest.of("Weather in Paris?"));
            node.run(agent, RunRequest.of("Are you sure?").withSessionId(first.sessionId()));

            assertThat(upstream.conversation(2)).containsExactly(
                "user: Weather in Paris?",
                "assistant calls weather {\"city\":\"Paris\"}",
                "tool call-1: Sunny in Paris",
                "assistant: Sunny.",
                "user: Are you sure?");
        }
    }

    @BothDatabases
    void stoppedAnswerReachesTheModelWithANoteThatItWasStopped(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(Script.text("Once upon", " a time").stallAfter(1), Script.text("Ok."));
             Node node = Node.open(db)) {
            Agent agent = upstream.agent();
            RunHandle stopped = node.runtime.start(agent, RunRequest.of("Tell me a story"));
            await().until(() -> stopped.output().content().equals("Once upon"));
            stopped.cancel(AgentRuntime.REASON_CANCELLED);
            stopped.segmentEnd().get(10, TimeUnit.SECONDS);
            node.run(agent, RunRequest.of("Go on").withSessionId(stopped.sessionId()));

            assertThat(upstream.conversation(1)).containsExactly(
                "user: Tell me a story",
                "assistant: Once upon\n\n" + HistoryReader.NOTE_STOPPED,
                "user: Go on");
        }
    }

    @BothDatabases
    void failedAnswerReachesTheModelWithANoteAboutTheError(TestDatabase db) throws Exception {
        Script breaks = Script.text("Half an", " answer").chunkDelay(Duration.ofMillis(20)).resetAfter(1);
        try (Upstream upstream = new Upstream().then(breaks, Script.text("Ok.")); Node node = Node.open(db)) {
            Agent agent = upstream.agent();
            RunOutput failed = node.run(agent, RunRequest.of("Explain"));
            node.run(agent, RunRequest.of("Again").withSessionId(failed.sessionId()));

            assertThat(upstream.conversation(1)).containsExactly(
                "user: Explain",
                "assistant: Half an\n\n" + HistoryReader.NOTE_ERROR,
                "user: Again");
        }
    }

    @BothDatabases
    void historyIsBoundedByTheConfiguredNumberOfRuns(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(Script.text("A1"), Script.text("A2"), Script.text("A3"), Script.text("A4"));
             Node node = Node.open(db, o -> o.historyRuns(2))) {
            Agent agent = upstream.agent();
            String session = node.run(agent, RunRequest.of("Q1")).sessionId();
            node.run(agent, RunRequest.of("Q2").withSessionId(session));
            node.run(agent, RunRequest.of("Q3").withSessionId(session));
            node.run(agent, RunRequest.of("Q4").withSessionId(session));

            assertThat(upstream.conversation(3)).containsExactly("user: Q2", "assistant: A2", "user: Q3", "assistant: A3",
                "user: Q4");
        }
    }

    @BothDatabases
    void otherSessionsStayOutOfTheHistory(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(Script.text("A1"), Script.text("A2")); Node node = Node.open(db)) {
            Agent agent = upstream.agent();
            node.run(agent, RunRequest.of("In one session"));
            node.run(agent, RunRequest.of("In another"));

            assertThat(upstream.conversation(1)).containsExactly("user: In another");
        }
    }

    @BothDatabases
    void importedSessionReachesTheModelAsHistoryAndOnlyOnce(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(Script.text("A3")); Node node = Node.open(db)) {
            Agent agent = upstream.agent();
            List<ImportedTurn> turns = List.of(new ImportedTurn("Q1", "A1"), new ImportedTurn("Q2", "A2"));
            boolean imported = node.storage.store().importSession("chat-1", "local", agent.id(), turns);
            boolean again = node.storage.store().importSession("chat-1", "local", agent.id(), turns);
            node.run(agent, RunRequest.of("Q3").withSessionId("chat-1"));

            assertThat(imported).isTrue();
            assertThat(again).isFalse();
            assertThat(upstream.conversation(0)).containsExactly("user: Q1", "assistant: A1", "user: Q2", "assistant: A2",
                "user: Q3");
        }
    }
}
