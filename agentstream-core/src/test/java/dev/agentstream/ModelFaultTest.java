package dev.agentstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.event.RunError;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.testkit.Script;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelFaultTest {

    private final Upstream upstream = new Upstream();
    private final AgentRuntime runtime = AgentRuntime.builder().modelIdleTimeout(Duration.ofMillis(500)).upstreamRetries(0).build();

    @AfterEach
    void close() {
        runtime.close();
        upstream.close();
    }

    static Stream<Arguments> faults() {
        // A pause between chunks lets the first ones reach the client before the fault hits.
        Script partial = Script.text("Partial ", "answer ", "that ", "breaks").chunkDelay(Duration.ofMillis(30));
        return Stream.of(
            Arguments.of("HTTP 500", Script.serverError(), ""),
            Arguments.of("HTTP 429", Script.rateLimited(), ""),
            Arguments.of("reset after 2 chunks", partial.resetAfter(2), "Partial answer "),
            Arguments.of("malformed chunk after 2", partial.malformedAfter(2), "Partial answer "),
            Arguments.of("stall after 2 chunks", partial.stallAfter(2), "Partial answer "));
    }

    @ParameterizedTest(name = "{0} ends in RunError with the partial content kept")
    @MethodSource("faults")
    void eachUpstreamFaultEndsInRunErrorWithThePartialContentKept(String name, Script fault, String partial) {
        upstream.server.enqueue(fault);

        RunHandle run = runtime.start(upstream.agent().build(), RunRequest.of("go"));
        List<RunEvent> events = run.events().toList();

        assertThat(events.getFirst().eventName()).isEqualTo("RunStarted");
        assertThat(events.getLast()).isInstanceOf(RunError.class);
        assertThat(events).filteredOn(RunEvent::isTerminal).hasSize(1);
        RunError error = (RunError) events.getLast();
        assertThat(error.content()).isNotBlank();
        assertThat(error.partialContent()).isEqualTo(partial);
        assertThat(run.status()).isEqualTo(RunStatus.ERROR);
        assertThat(run.output().content()).isEqualTo(partial);
        assertThat(run.output().error()).isEqualTo(error.content());
    }
}
