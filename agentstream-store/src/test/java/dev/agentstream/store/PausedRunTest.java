package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.Agent;
import dev.agentstream.AgentRuntime;
import dev.agentstream.RunHandle;
import dev.agentstream.RunOutput;
import dev.agentstream.RunRequest;
import dev.agentstream.ToolDecision;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.run.PausedRun;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

class PausedRunTest {

    private static final Script ASKS_TO_SEND = Script.builder().text("Let me send it. ")
        .toolCalls(ToolCall.of("call-1", "sendEmail", "{\"to\":\"bob@example.com\"}")).usage(8, 4).build();

    private static Agent emailAgent(Upstream upstream) {
        return upstream.agent("assistant", new TestTools()).requireConfirmation("sendEmail").build();
    }

    private static RunHandle continued(AgentRuntime.ContinueOutcome outcome) {
        assertThat(outcome).isInstanceOf(AgentRuntime.ContinueOutcome.Continued.class);
        return ((AgentRuntime.ContinueOutcome.Continued) outcome).handle();
    }

    @BothDatabases
    void pausedRunStoresWhatItWaitsFor(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(ASKS_TO_SEND); Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(emailAgent(upstream), RunRequest.of("Email Bob"));
            RunOutput output = handle.segmentEnd().get(10, TimeUnit.SECONDS);

            assertThat(output.status()).isEqualTo(RunStatus.PAUSED);
            StoredRun run = node.store().findRun(handle.runId()).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.PAUSED);
            assertThat(run.completedAt()).isNull();
            assertThat(run.leaseExpiresAt()).isNull();
            assertThat(run.inputTokens()).isEqualTo(8);
            PausedRun paused = node.store().pausedState(handle.runId()).orElseThrow();
            assertThat(paused.requirements()).isEqualTo(output.requirements());
            assertThat(paused.lastSeq()).isEqualTo(output.lastSeq());
            assertThat(paused.run().runId()).isEqualTo(handle.runId());
            assertThat(paused.content()).isEqualTo("Let me send it. ");
            List<StoredMessage> messages = node.store().messages(handle.sessionId());
            assertThat(messages.get(1).content()).isEqualTo("Let me send it. ");
            assertThat(messages.get(1).completedAt()).isNull();
            assertThat(messages.get(2)).satisfies(tool -> {
                assertThat(tool.toolName()).isEqualTo("sendEmail");
                assertThat(tool.toolArguments()).isEqualTo("{\"to\":\"bob@example.com\"}");
                assertThat(tool.content()).isNull();
                assertThat(tool.interrupted()).isFalse();
            });
        }
    }

    @BothDatabases
    void pausedRunContinuesInTheSameProcess(TestDatabase db) {
        try (Upstream upstream = new Upstream().then(ASKS_TO_SEND, Script.text("Sent.")); Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(emailAgent(upstream), RunRequest.of("Email Bob"));
            List<RunEvent> seen = new ArrayList<>(Node.events(handle, 0));
            RunHandle resumed = continued(node.runtime.continueRun(handle.runId(), List.of(ToolDecision.confirm("call-1"))));
            seen.addAll(Node.events(resumed, seen.getLast().seq()));

            StoredRun run = node.store().findRun(handle.runId()).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(node.store().pausedState(handle.runId())).isEmpty();
            List<StoredMessage> messages = node.store().messages(handle.sessionId());
            assertThat(messages).extracting(StoredMessage::role).containsExactly("user", "assistant", "tool");
            assertThat(messages.get(1).content()).isEqualTo("Let me send it. Sent.");
            assertThat(messages.get(2).content()).isEqualTo("sent to bob@example.com");
            assertThat(node.store().eventsAfter(handle.runId(), 0)).isEqualTo(seen);
        }
    }

    @BothDatabases
    void pausedRunContinuesOnAnotherNodeAfterARestart(TestDatabase db) {
        String runId;
        List<RunEvent> seen;
        try (Upstream upstream = new Upstream().then(ASKS_TO_SEND); Node first = Node.open(db)) {
            RunHandle handle = first.runtime.start(emailAgent(upstream), RunRequest.of("Email Bob"));
            seen = new ArrayList<>(Node.events(handle, 0));
            runId = handle.runId();
        }
        try (Upstream upstream = new Upstream().then(Script.text("Sent."));
             Node second = Node.open(db, o -> o.nodeId("node-b"))) {
            PausedRun paused = second.store().pausedState(runId).orElseThrow();
            RunHandle resumed = continued(second.runtime.resume(emailAgent(upstream), paused,
                List.of(ToolDecision.confirm("call-1"))));
            seen.addAll(Node.events(resumed, paused.lastSeq()));

            StoredRun run = second.store().findRun(runId).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.ownerNode()).isEqualTo("node-b");
            List<StoredMessage> messages = second.store().messages(run.sessionId());
            assertThat(messages.get(1).content()).isEqualTo("Let me send it. Sent.");
            assertThat(messages.get(2).content()).isEqualTo("sent to bob@example.com");
            assertThat(second.store().eventsAfter(runId, 0)).isEqualTo(seen);
        }
    }

    @BothDatabases
    void rejectedToolCallIsStoredWithTheRejection(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(ASKS_TO_SEND, Script.text("Not sent.")); Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(emailAgent(upstream), RunRequest.of("Email Bob"));
            handle.segmentEnd().get(10, TimeUnit.SECONDS);
            continued(node.runtime.continueRun(handle.runId(), List.of(ToolDecision.reject("call-1", "not Bob"))))
                .segmentEnd().get(10, TimeUnit.SECONDS);

            StoredMessage tool = node.store().messages(handle.sessionId()).get(2);
            assertThat(tool.content()).contains("rejected").contains("not Bob");
            assertThat(tool.completedAt()).isNotNull();
        }
    }

    @BothDatabases
    void cancellingAPausedRunEndsItInStorage(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(ASKS_TO_SEND); Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(emailAgent(upstream), RunRequest.of("Email Bob"));
            handle.segmentEnd().get(10, TimeUnit.SECONDS);
            node.runtime.cancel(handle.runId(), AgentRuntime.REASON_CANCELLED);

            StoredRun run = node.store().findRun(handle.runId()).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(node.store().pausedState(handle.runId())).isEmpty();
            assertThat(node.store().eventsAfter(handle.runId(), 0).getLast().eventName()).isEqualTo("RunCancelled");
        }
    }
}
