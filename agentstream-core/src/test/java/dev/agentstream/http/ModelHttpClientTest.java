package dev.agentstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentstream.Agent;
import dev.agentstream.AgentRuntime;
import dev.agentstream.RunHandle;
import dev.agentstream.RunRequest;
import dev.agentstream.event.RunCompleted;
import dev.agentstream.event.RunError;
import dev.agentstream.event.RunEvent;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ScriptedOpenAiServer;
import dev.langchain4j.http.client.HttpClientBuilderLoader;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ModelHttpClient} under LangChain4j's own OpenAI models, against the testkit's OpenAI-protocol server. */
class ModelHttpClientTest {

    private final ScriptedOpenAiServer upstream = ScriptedOpenAiServer.start();
    private final AgentRuntime runtime = AgentRuntime.builder().build();

    @AfterEach
    void close() {
        runtime.close();
        upstream.close();
    }

    private Agent agent() {
        return agentAt(upstream.baseUrl());
    }

    private static Agent agentAt(String baseUrl) {
        return Agent.builder().id("assistant").model(OpenAiStreamingChatModel.builder()
                .httpClientBuilder(ModelHttpClient.builder().connectTimeout(Duration.ofSeconds(5)))
                .baseUrl(baseUrl)
                .apiKey("test-key")
                .modelName("gpt-test")
                .returnThinking(true)
                .build())
            .build();
    }

    @Test
    void streamsTextAndReasoningAndSendsTheRequestAsLangChain4jBuiltIt() {
        upstream.enqueue(Script.builder().reasoning("hmm ").text("Hel", "lo").usage(5, 2).build());

        List<RunEvent> events = runtime.start(agent(), RunRequest.of("hi")).events().toList();

        RunCompleted completed = (RunCompleted) events.getLast();
        assertThat(completed.content()).isEqualTo("Hello");
        assertThat(completed.reasoningContent()).isEqualTo("hmm ");
        assertThat(completed.metrics().inputTokens()).isEqualTo(5);
        var request = upstream.requests().getFirst();
        assertThat(request.streaming()).isTrue();
        assertThat(request.body().path("model").asText()).isEqualTo("gpt-test");
        assertThat(request.messages().getLast().path("content").asText()).isEqualTo("hi");
    }

    @Test
    void anHttpErrorFromTheModelEndsTheRunWithRunErrorCarryingTheStatus() {
        upstream.enqueue(Script.httpError(401, "{\"error\":{\"message\":\"bad key\"}}"));

        List<RunEvent> events = runtime.start(agent(), RunRequest.of("hi")).events().toList();

        assertThat(events.getLast()).isInstanceOf(RunError.class);
        assertThat(((RunError) events.getLast()).content()).contains("bad key");
    }

    @Test
    void aConnectionResetMidStreamEndsTheRunWithRunErrorAndKeepsThePartialAnswer() {
        upstream.enqueue(Script.text("par", "tial", "never").resetAfter(2));

        List<RunEvent> events = runtime.start(agent(), RunRequest.of("hi")).events().toList();

        RunError error = (RunError) events.getLast();
        assertThat(error.partialContent()).isEqualTo("partial");
    }

    @Test
    void aRefusedConnectionEndsTheRunWithRunErrorNamingTheModelsAddress() {
        // Nothing listens on port 1.
        List<RunEvent> events = runtime.start(agentAt("http://127.0.0.1:1/v1"), RunRequest.of("hi")).events().toList();

        RunError error = (RunError) events.getLast();
        assertThat(error.content())
            .contains("could not connect to the model at 127.0.0.1:1")
            .contains("connection refused");
    }

    @Test
    void anUnknownHostEndsTheRunWithRunErrorNamingTheHost() {
        // .invalid never resolves (RFC 6761).
        List<RunEvent> events = runtime.start(agentAt("http://no-such-model-host.invalid:8080/v1"), RunRequest.of("hi"))
            .events().toList();

        RunError error = (RunError) events.getLast();
        assertThat(error.content())
            .contains("could not connect to the model at no-such-model-host.invalid:8080")
            .contains("unknown host");
    }

    @Test
    void cancelClosesTheUpstreamConnectionWithoutWaitingForTheModelToSendMore() {
        // The next chunk would come 30 s later: a close that waited for data would not be seen in time.
        upstream.enqueue(Script.text("first ", "second ").chunkDelay(Duration.ofSeconds(30)));
        RunHandle run = runtime.start(agent(), RunRequest.of("hi"));
        Awaitility.await().until(() -> run.log().lastSeq() >= 2);

        run.cancel("cancelled");

        assertThat(upstream.awaitRequest(0, Duration.ofSeconds(5)).awaitClientClosed(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void plainCallsWork() {
        upstream.enqueue(Script.text("plain answer"));
        OpenAiChatModel model = OpenAiChatModel.builder()
            .httpClientBuilder(ModelHttpClient.builder())
            .baseUrl(upstream.baseUrl()).apiKey("test-key").modelName("gpt-test").build();

        ChatResponse response = model.chat(dev.langchain4j.data.message.UserMessage.from("hi"));

        assertThat(response.aiMessage().text()).isEqualTo("plain answer");
    }

    @Test
    void modelsBuiltWithoutOurClientKeepLangChain4jsDefault() {
        // ModelHttpClient is not registered with ServiceLoader: a second factory there would make
        // LangChain4j refuse to pick one ("Conflict: multiple HTTP clients") for users' own models.
        assertThat(HttpClientBuilderLoader.loadHttpClientBuilder()).isInstanceOf(JdkHttpClientBuilder.class);
    }
}
