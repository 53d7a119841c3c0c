package dev.agentstream.server.testing;

import dev.agentstream.Agent;
import dev.agentstream.testkit.ScriptedOpenAiServer;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;

/** A scripted OpenAI-protocol server, and agents that reach it through LangChain4j's OpenAI module. */
public final class Upstream implements AutoCloseable {

    public final ScriptedOpenAiServer server = ScriptedOpenAiServer.start();

    /** An agent with {@code id} on this upstream; add tools with the builder. */
    public Agent.Builder agent(String id) {
        return Agent.builder().id(id).instructions("You are a test agent.").modelName("gpt-test")
            .model(OpenAiStreamingChatModel.builder()
                .baseUrl(server.baseUrl())
                .apiKey("test-key")
                .modelName("gpt-test")
                .timeout(Duration.ofSeconds(30))
                .build());
    }

    @Override
    public void close() {
        server.close();
    }
}
