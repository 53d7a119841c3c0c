package dev.agentstream.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.Agent;
import dev.agentstream.testkit.Script;
import dev.agentstream.testkit.ScriptedOpenAiServer;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted OpenAI-protocol server (the testkit's) and agents that reach it through LangChain4j's
 * OpenAI module, as a real deployment would reach its model.
 */
final class Upstream implements AutoCloseable {

    final ScriptedOpenAiServer server = ScriptedOpenAiServer.start();

    /** Queues what the next model calls answer, in order. */
    Upstream then(Script... scripts) {
        server.enqueue(scripts);
        return this;
    }

    OpenAiStreamingChatModel model() {
        return OpenAiStreamingChatModel.builder()
            .baseUrl(server.baseUrl())
            .apiKey("test-key")
            .modelName("gpt-test")
            .timeout(Duration.ofSeconds(20))
            .build();
    }

    /** An agent with this id on this upstream, and these tools. */
    Agent.Builder agent(String id, Object... tools) {
        Agent.Builder builder = Agent.builder().id(id).model(model()).modelName("gpt-test");
        return tools.length == 0 ? builder : builder.tools(tools);
    }

    /** The agent "assistant" on this upstream, with these tools. */
    Agent agent(Object... tools) {
        return agent("assistant", tools).build();
    }

    /**
     * The messages the model received in call {@code index}, one line each: {@code user: …},
     * {@code assistant: …}, {@code assistant calls name {args}}, {@code tool id: …}.
     */
    List<String> conversation(int index) {
        List<String> lines = new ArrayList<>();
        for (JsonNode message : server.awaitRequest(index, Duration.ofSeconds(10)).messages()) {
            String role = message.path("role").asText();
            for (JsonNode call : message.path("tool_calls")) {
                lines.add("assistant calls " + call.path("function").path("name").asText() + " "
                    + call.path("function").path("arguments").asText());
            }
            JsonNode content = message.path("content");
            if (!content.isMissingNode() && !content.isNull()) {
                lines.add(role.equals("tool")
                    ? "tool " + message.path("tool_call_id").asText() + ": " + content.asText()
                    : role + ": " + content.asText());
            }
        }
        return lines;
    }

    @Override
    public void close() {
        server.close();
    }
}
