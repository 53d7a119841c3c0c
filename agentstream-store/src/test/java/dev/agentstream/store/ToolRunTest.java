package dev.agentstream.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.RunHandle;
import dev.agentstream.RunRequest;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import java.util.List;

class ToolRunTest {

    @BothDatabases
    void toolCallIsStoredWithItsArgumentsAndResult(TestDatabase db) throws Exception {
        ScriptedModel model = new ScriptedModel()
            .then(ScriptedModel.callTool("call-1", "weather", "{\"city\":\"Paris\"}"))
            .then(ScriptedModel.answer("It is sunny."));
        try (Node node = Node.open(db)) {
            RunHandle handle = node.runtime.start(Node.agent(model, new TestTools()), RunRequest.of("Weather in Paris?"));
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
        ScriptedModel model = new ScriptedModel()
            .then(ScriptedModel.callTool("call-1", "explode", "{}"))
            .then(ScriptedModel.answer("The tool failed."));
        try (Node node = Node.open(db)) {
            var output = node.run(Node.agent(model, new TestTools()), RunRequest.of("Explode"));

            StoredMessage tool = node.store().messages(output.sessionId()).get(2);
            assertThat(tool.error()).isEqualTo("the tool exploded");
            assertThat(tool.content()).isEqualTo("the tool exploded");
            assertThat(tool.completedAt()).isNotNull();
            assertThat(node.store().findRun(output.runId()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
        }
    }
}
