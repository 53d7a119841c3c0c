package dev.agentstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.event.RunError;
import dev.agentstream.event.RunEvent;
import dev.agentstream.event.RunStatus;
import dev.agentstream.testkit.Script;
import dev.agentstream.http.ModelHttpClient;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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

    @Test
    void aModelServerThatNeverAcceptsTheConnectionEndsTheRunWithinTheConnectTimeout() throws Exception {
        // A listener whose accept queue is full: the kernel drops further connection attempts unanswered.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket socket = new Socket();
                    socket.connect(full.getLocalSocketAddress(), 200);
                    queued.add(socket);
                }
            } catch (java.io.IOException e) {
                // The queue is full.
            }
            Agent agent = upstream.agent().model(OpenAiStreamingChatModel.builder()
                .baseUrl("http://127.0.0.1:" + full.getLocalPort() + "/v1").apiKey("test-key").modelName("gpt-test")
                .httpClientBuilder(ModelHttpClient.builder().pinConnectTimeout(Duration.ofSeconds(1))).build()).build();

            long start = System.nanoTime();
            RunError error;
            // The default idle timeout (60 s), longer than the connect timeout, as it is in a server.
            try (AgentRuntime patient = AgentRuntime.builder().build()) {
                error = (RunError) patient.start(agent, RunRequest.of("go")).events().toList().getLast();
            }

            assertThat(error.content()).isEqualTo("could not connect to the model at 127.0.0.1:" + full.getLocalPort()
                + ": no connection within 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            for (Socket socket : queued) {
                socket.close();
            }
        }
    }
}
