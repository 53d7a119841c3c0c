package dev.agentstream.testkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScriptTest {

    @Test
    void withMethodsReturnANewScriptAndLeaveTheOriginalUnchanged() {
        Script original = Script.text("a", "b");

        Script slower = original.chunkDelay(Duration.ofMillis(5)).usage(1, 2).resetAfter(1);

        assertThat(original.chunkDelayValue()).isZero();
        assertThat(original.usageReport()).isEmpty();
        assertThat(original.fault()).isEmpty();
        assertThat(slower.chunkDelayValue()).isEqualTo(Duration.ofMillis(5));
        assertThat(slower.usageReport()).contains(new Script.Usage(1, 2));
        assertThat(slower.fault()).contains(new Script.Fault.ResetAfter(1));
        assertThat(slower.textChunks()).containsExactly("a", "b");
    }

    @Test
    void theFinishReasonIsToolCallsWhenTheTurnCallsTools() {
        assertThat(Script.text("x").finishReason()).isEqualTo("stop");
        assertThat(Script.toolCalls(ToolCall.of("c", "f", "{}")).finishReason()).isEqualTo("tool_calls");
    }

    @Test
    void toolCallArgumentsAreSplitIntoSeveralFragmentsThatJoinBackToTheJson() {
        ToolCall call = ToolCall.of("call_1", "calculator", "{\"expression\":\"2+3\"}");

        assertThat(call.argumentFragments()).hasSizeGreaterThan(2);
        assertThat(call.arguments()).isEqualTo("{\"expression\":\"2+3\"}");
    }

    @Test
    void invalidValuesAreRejectedWhenBuilt() {
        assertThatThrownBy(() -> Script.text("a").chunkDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Script.text("a").stallAfter(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Script.httpError(200, "{}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Script.text("a").usage(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ToolCall.of(" ", "f", "{}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Script.text("a", null)).isInstanceOf(NullPointerException.class);
    }
}
