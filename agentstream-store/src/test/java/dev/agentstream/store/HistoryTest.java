package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.Agent;
import dev.agentstream.AgentRuntime;
import dev.agentstream.RunHandle;
import dev.agentstream.RunOutput;
import dev.agentstream.RunRequest;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What the model receives from earlier runs of its session. */
class HistoryTest {

    @BothDatabases
    void nextRunGivesTheModelTheEarlierMessagesOfItsSession(TestDatabase db) throws Exception {
        ScriptedModel model = new ScriptedModel()
            .then(ScriptedModel.callTool("call-1", "weather", "{\"city\":\"Paris\"}"))
            .then(ScriptedModel.answer("Sunny", "."))
            .then(ScriptedModel.answer("Yes."));
        try (Node node = Node.open(db)) {
            Agent agent = Node.agent(model, new TestTools());
            RunOutput first = node.run(agent, RunRequest.of("Weather in Paris?"));
            node.run(agent, RunRequest.of("Are you sure?").withSessionId(first.sessionId()));

            List<ChatMessage> received = model.requests().get(2);
            assertThat(received).containsExactly(
                UserMessage.from("Weather in Paris?"),
                AiMessage.from(List.of(ToolExecutionRequest.builder().id("call-1").name("weather")
                    .arguments("{\"city\":\"Paris\"}").build())),
                ToolExecutionResultMessage.from("call-1", "weather", "Sunny in Paris"),
                AiMessage.from("Sunny."),
                UserMessage.from("Are you sure?"));
        }
    }

    @BothDatabases
    void stoppedAnswerReachesTheModelWithANoteThatItWasStopped(TestDatabase db) throws Exception {
        var chunks = new LinkedBlockingQueue<String>();
        ScriptedModel model = new ScriptedModel().then(ScriptedModel.gated(chunks)).then(ScriptedModel.answer("Ok."));
        try (Node node = Node.open(db)) {
            Agent agent = Node.agent(model);
            RunHandle stopped = node.runtime.start(agent, RunRequest.of("Tell me a story"));
            chunks.add("Once upon");
            await().until(() -> stopped.output().content().equals("Once upon"));
            stopped.cancel(AgentRuntime.REASON_CANCELLED);
            stopped.segmentEnd().get(10, TimeUnit.SECONDS);
            node.run(agent, RunRequest.of("Go on").withSessionId(stopped.sessionId()));

            assertThat(model.requests().get(1)).containsExactly(
                UserMessage.from("Tell me a story"),
                AiMessage.from("Once upon\n\n" + HistoryReader.NOTE_STOPPED),
                UserMessage.from("Go on"));
        }
    }

    @BothDatabases
    void failedAnswerReachesTheModelWithANoteAboutTheError(TestDatabase db) throws Exception {
        ScriptedModel model = new ScriptedModel()
            .then(ScriptedModel.failAfter("upstream broke", "Half an"))
            .then(ScriptedModel.answer("Ok."));
        try (Node node = Node.open(db)) {
            Agent agent = Node.agent(model);
            RunOutput failed = node.run(agent, RunRequest.of("Explain"));
            node.run(agent, RunRequest.of("Again").withSessionId(failed.sessionId()));

            assertThat(model.requests().get(1)).containsExactly(
                UserMessage.from("Explain"),
                AiMessage.from("Half an\n\n" + HistoryReader.NOTE_ERROR),
                UserMessage.from("Again"));
        }
    }

    @BothDatabases
    void historyIsBoundedByTheConfiguredNumberOfRuns(TestDatabase db) throws Exception {
        ScriptedModel model = new ScriptedModel().then(ScriptedModel.answer("A1")).then(ScriptedModel.answer("A2"))
            .then(ScriptedModel.answer("A3")).then(ScriptedModel.answer("A4"));
        try (Node node = Node.open(db, o -> o.historyRuns(2))) {
            Agent agent = Node.agent(model);
            String session = node.run(agent, RunRequest.of("Q1")).sessionId();
            node.run(agent, RunRequest.of("Q2").withSessionId(session));
            node.run(agent, RunRequest.of("Q3").withSessionId(session));
            node.run(agent, RunRequest.of("Q4").withSessionId(session));

            assertThat(model.requests().get(3)).containsExactly(UserMessage.from("Q2"), AiMessage.from("A2"),
                UserMessage.from("Q3"), AiMessage.from("A3"), UserMessage.from("Q4"));
        }
    }

    @BothDatabases
    void otherSessionsStayOutOfTheHistory(TestDatabase db) throws Exception {
        ScriptedModel model = new ScriptedModel().then(ScriptedModel.answer("A1")).then(ScriptedModel.answer("A2"));
        try (Node node = Node.open(db)) {
            Agent agent = Node.agent(model);
            node.run(agent, RunRequest.of("In one session"));
            node.run(agent, RunRequest.of("In another"));

            assertThat(model.requests().get(1)).containsExactly(UserMessage.from("In another"));
        }
    }
}
