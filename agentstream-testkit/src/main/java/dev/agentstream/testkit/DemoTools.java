package dev.agentstream.testkit;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The demo agent's tools, as plain LangChain4j {@link Tool} methods named {@code calculator},
 * {@code current_time} and {@code send_email}. Nothing here reaches the outside world: {@code send_email} only
 * says it sent the mail. Stateless apart from the clock, so safe to call from any number of threads.
 */
public final class DemoTools {

    private final Clock clock;

    public DemoTools() {
        this(Clock.systemUTC());
    }

    public DemoTools(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Evaluates {@code + - * /} and parentheses on decimal numbers.
     *
     * @return the value as plain text, e.g. {@code 5} or {@code 2.5}
     * @throws IllegalArgumentException if the expression is not valid arithmetic or divides by zero
     */
    @Tool(name = "calculator", value = "Evaluates an arithmetic expression with + - * / and parentheses on decimal"
            + " numbers, and returns the result")
    public String calculator(@P("the expression, for example (2+3)*4.5") String expression) {
        return Arithmetic.evaluate(expression);
    }

    /** The current UTC time in ISO-8601, e.g. {@code 2025-01-31T12:00:00Z}. */
    @Tool(name = "current_time", value = "Returns the current UTC date and time in ISO-8601")
    public String currentTime() {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock));
    }

    /** Pretends to send an email and says so; nothing is sent. */
    @Tool(name = "send_email", value = "Sends an email")
    public String sendEmail(@P("the recipient's address") String to, @P("the subject line") String subject,
                            @P("the message text") String body) {
        return "Email sent to " + to;
    }
}
