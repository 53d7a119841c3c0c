package dev.agentstream.testkit;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoToolsTest {

    private final DemoTools tools = new DemoTools(Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC));

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "2+3              | 5",
            "5/2              | 2.5",
            "2+3*4            | 14",
            "(2+3)*4          | 20",
            "10-4-3           | 3",
            "8/4/2            | 1",
            "-3+1             | -2",
            "-(2+3)*-2        | 10",
            "1.5*1.5          | 2.25",
            "0.1+0.2          | 0.3",
            "  7 *  ( 1 + 1 ) | 14",
            "2-2              | 0",
            "1/3              | 0.3333333333333333",
            "1000000*1000000  | 1000000000000",
    })
    void calculatorEvaluatesArithmetic(String expression, String expected) {
        assertThat(tools.calculator(expression)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "2+", "(2+3", "2+3)", "two plus three", "1.2.3", "2**3", "4/0", "4/(2-2)"})
    void calculatorRejectsABadExpressionWithAClearMessage(String expression) {
        assertThatThrownBy(() -> tools.calculator(expression))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot evaluate");
    }

    @Test
    void divisionByZeroSaysSo() {
        assertThatThrownBy(() -> tools.calculator("1/0")).hasMessageContaining("division by zero");
    }

    @Test
    void currentTimeIsTheClocksInstantInIso8601Utc() {
        assertThat(tools.currentTime()).isEqualTo("2025-03-04T05:06:07Z");
    }

    @Test
    void sendEmailOnlySaysItSentTheMail() {
        assertThat(tools.sendEmail("bob@example.com", "Hi", "Hello Bob")).isEqualTo("Email sent to bob@example.com");
    }

    @Test
    void theToolsAreExposedToLangChain4jUnderTheirSnakeCaseNames() {
        assertThat(ToolSpecifications.toolSpecificationsFrom(DemoTools.class))
                .extracting(ToolSpecification::name)
                .containsExactlyInAnyOrder("calculator", "current_time", "send_email");
        ToolSpecification email = ToolSpecifications.toolSpecificationsFrom(DemoTools.class).stream()
                .filter(spec -> spec.name().equals("send_email")).findFirst().orElseThrow();
        assertThat(email.parameters().properties()).containsOnlyKeys("to", "subject", "body");
    }
}
