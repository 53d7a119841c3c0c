package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.RunHandle;
import dev.agentstream.RunOutput;
import dev.agentstream.RunRequest;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ToolCall;
import java.util.List;

class ToolRunTest {

    @BothDatabases
    void toolCallIsStoredWithItsArgumentsAndResult(TestDatabase db) {
        try (Upstream upstream = new Upstream().then(Script.toolCalls(ToolCall.of("call-1", "weather", "{\"city\":\"Paris\"}")),
                Script.text("It is sunny."));
             Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(upstream.agent(new TestTools()), RunRequest.of("Weather in Paris?"));
            List<RunEvent> seen = Node.events(handle, 0);

            List<StoredMessage> messages = node.store().messages(handle.sessionId());
            assertThat(messages).extracting(StoredMessage::role).containsExactly("user", "assistant", "tool");
            StoredMessage tool = messages.get(2);
            assertThat(tool.toolCallId()).isEqualTo("call-1");
            assertThat(tool.toolName()).isEqualTo("weather");
            assertThat(tool.toolArguments()).isEqualTo("{\"city\":\"Paris\"}");
            assertThat(tool.content()).isEqualTo("Sunny in Paris");
            assertThat(tool.completedAt()).isNotNull();
            assertThat(tool.error()).isNull();
            assertThat(tool.runId()).isEqualTo(handle.runId());
            assertThat(messages.get(1).content()).isEqualTo("It is sunny.");
            assertThat(node.store().findRun(handle.runId()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(node.store().eventsAfter(handle.runId(), 0)).isEqualTo(seen);
        }
    }

    @BothDatabases
    void failingToolStoresItsError(TestDatabase db) throws Exception {
        try (Upstream upstream = new Upstream().then(Script.toolCalls(ToolCall.of("call-1", "explode", "{}")),
                Script.text("The tool failed."));
             Node node = Node.open(db)) {
            RunOutput output = node.run(upstream.agent(new TestTools()), RunRequest.of("Explode"));

            StoredMessage tool = node.store().messages(output.sessionId()).get(2);
            assertThat(tool.error()).isEqualTo("the tool exploded");
            assertThat(tool.content()).isEqualTo("the tool exploded");
            assertThat(tool.completedAt()).isNotNull();
            assertThat(node.store().findRun(output.runId()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
        }
    }
}
