package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentstream.AgentRuntime;
import dev.agentstream.RunHandle;
import dev.agentstream.RunOutput;
import dev.agentstream.RunRequest;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs that end before their answer is whole: stopped, disconnected, failed. */
class StoppedRunTest {

    @BothDatabases
    void cancelledRunKeepsItsPartialAnswerMarkedInterrupted(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(Script.text("Once upon ", "a time", " there").stallAfter(2));
             Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(upstream.agent(), RunRequest.of("Tell me a story"));
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
        try (Upstream upstream = new Upstream().then(Script.text("Once", " more").stallAfter(1)); Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(upstream.agent(), RunRequest.of("Tell me a story"));
            await().until(() -> handle.output().content().equals("Once"));
            handle.cancel(AgentRuntime.REASON_CLIENT_DISCONNECTED);
            handle.segmentEnd().get(10, TimeUnit.SECONDS);

            StoredRun run = node.store().findRun(handle.runId()).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(run.cancelReason()).isEqualTo("client_disconnected");
            assertThat(node.store().messages(handle.sessionId()).get(1)).satisfies(m -> {
                assertThat(m.content()).isEqualTo("Once");
                assertThat(m.interrupted()).isTrue();
            });
        }
    }

    @BothDatabases
    void toolCallOpenAtCancelIsMarkedInterrupted(TestDatabase db) throws Exception {
        TestTools tools = new TestTools();
        try (Upstream upstream = new Upstream().then(Script.toolCalls(ToolCall.of("call-1", "slow", "{}")));
             Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(upstream.agent(tools), RunRequest.of("Be slow"));
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
        Script breaks = Script.text("Par", "tial", " never").chunkDelay(Duration.ofMillis(20)).resetAfter(2);
        try (Upstream upstream = new Upstream().then(breaks); Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(upstream.agent(), RunRequest.of("Go"));
            RunOutput output = handle.segmentEnd().get(20, TimeUnit.SECONDS);
            List<RunEvent> seen = Node.events(handle, 0);

            assertThat(output.status()).isEqualTo(RunStatus.ERROR);
            StoredRun run = node.store().findRun(handle.runId()).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.ERROR);
            assertThat(run.error()).isNotBlank().isEqualTo(output.error());
            assertThat(run.completedAt()).isNotNull();
            StoredMessage answer = node.store().messages(handle.sessionId()).get(1);
            assertThat(answer.content()).isEqualTo("Partial");
            assertThat(answer.error()).isEqualTo(output.error());
            assertThat(answer.interrupted()).isTrue();
            assertThat(node.store().eventsAfter(handle.runId(), 0)).isEqualTo(seen);
        }
    }
}
