package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.AgentRuntime;
import dev.agentstream.RunHandle;
import dev.agentstream.RunOutput;
import dev.agentstream.RunRequest;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Runs that end before their answer is whole: stopped, disconnected, failed. */
class StoppedRunTest {

    @BothDatabases
    void cancelledRunKeepsItsPartialAnswerMarkedInterrupted(TestDatabase db) throws Exception {
        var chunks = new LinkedBlockingQueue<String>();
        ScriptedModel model = new ScriptedModel().then(ScriptedModel.gated(chunks));
        try (Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(Node.agent(model), RunRequest.of("Tell me a story"));
            chunks.add("Once upon ");
            chunks.add("a time");
            await().until(() -> handle.output().content().equals("Once upon a time"));
            handle.cancel(AgentRuntime.REASON_CANCELLED);
            RunOutput output = handle.segmentEnd().get(10, TimeUnit.SECONDS);
            List<RunEvent> seen = Node.events(handle, 0);

            StoredRun run = node.store().findRun(handle.runId()).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(run.cancelReason()).isEqualTo("cancelled");
            assertThat(run.completedAt()).isNotNull();
            assertThat(run.leaseExpiresAt()).isNull();
            StoredMessage answer = node.store().messages(handle.sessionId()).get(1);
            assertThat(answer.content()).isEqualTo(output.content()).isEqualTo("Once upon a time");
            assertThat(answer.interrupted()).isTrue();
            assertThat(answer.completedAt()).isNotNull();
            assertThat(node.store().eventsAfter(handle.runId(), 0)).isEqualTo(seen);
        }
    }

    @BothDatabases
    void disconnectedRunIsStoredAsInterrupted(TestDatabase db) throws Exception {
        var chunks = new LinkedBlockingQueue<String>();
        ScriptedModel model = new ScriptedModel().then(ScriptedModel.gated(chunks));
        try (Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(Node.agent(model), RunRequest.of("Tell me a story"));
            chunks.add("Once");
            await().until(() -> handle.output().content().equals("Once"));
            handle.cancel(AgentRuntime.REASON_CLIENT_DISCONNECTED);
            handle.segmentEnd().get(10, TimeUnit.SECONDS);

            StoredRun run = node.store().findRun(handle.runId()).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(run.cancelReason()).isEqualTo("client_disconnected");
            assertThat(node.store().messages(handle.sessionId()).get(1))
                .satisfies(m -> assertThat(m.content()).isEqualTo("Once"))
                .satisfies(m -> assertThat(m.interrupted()).isTrue());
        }
    }

    @BothDatabases
    void toolCallOpenAtCancelIsMarkedInterrupted(TestDatabase db) throws Exception {
        TestTools tools = new TestTools();
        ScriptedModel model = new ScriptedModel().then(ScriptedModel.callTool("call-1", "slow", "{}"));
        try (Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(Node.agent(model, tools), RunRequest.of("Be slow"));
            assertThat(tools.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
            handle.cancel(AgentRuntime.REASON_CANCELLED);
            handle.segmentEnd().get(10, TimeUnit.SECONDS);

            StoredMessage tool = node.store().messages(handle.sessionId()).get(2);
            assertThat(tool.toolName()).isEqualTo("slow");
            assertThat(tool.content()).isNull();
            assertThat(tool.interrupted()).isTrue();
            assertThat(tool.completedAt()).isNotNull();
        }
    }

    @BothDatabases
    void failedRunKeepsItsPartialAnswerAndTheError(TestDatabase db) throws Exception {
        ScriptedModel model = new ScriptedModel().then(ScriptedModel.failAfter("upstream broke", "Par", "tial"));
        try (Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(Node.agent(model), RunRequest.of("Go"));
            RunOutput output = handle.segmentEnd().get(10, TimeUnit.SECONDS);
            List<RunEvent> seen = Node.events(handle, 0);

            assertThat(output.status()).isEqualTo(RunStatus.ERROR);
            StoredRun run = node.store().findRun(handle.runId()).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.ERROR);
            assertThat(run.error()).isEqualTo("upstream broke");
            assertThat(run.completedAt()).isNotNull();
            StoredMessage answer = node.store().messages(handle.sessionId()).get(1);
            assertThat(answer.content()).isEqualTo("Partial");
            assertThat(answer.error()).isEqualTo("upstream broke");
            assertThat(answer.interrupted()).isTrue();
            assertThat(node.store().eventsAfter(handle.runId(), 0)).isEqualTo(seen);
        }
    }
}
