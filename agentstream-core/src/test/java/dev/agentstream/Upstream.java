package dev.agentstream;

import dev.agentstream.event.RunEvent;
import dev.agentstream.testkit.ScriptedOpenAiServer;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.util.List;

/** A scripted OpenAI-protocol server and agents that reach it through LangChain4j's own OpenAI module. */
final class Upstream implements AutoCloseable {

    /**
     * How long a test waits for the upstream to see a cancelled stream's connection close. The close
     * itself is immediate on our side; the JDK HttpClient may close the socket only when its selector
     * next wakes (every 3 s by default), so allow for that.
     */
    static final Duration UPSTREAM_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    final ScriptedOpenAiServer server = ScriptedOpenAiServer.start();

    OpenAiStreamingChatModel model() {
        return OpenAiStreamingChatModel.builder()
            .baseUrl(server.baseUrl())
            .apiKey("test-key")
            .modelName("gpt-test")
            .returnThinking(true)
            .timeout(Duration.ofSeconds(10))
            .build();
    }

    Agent.Builder agent() {
        return Agent.builder().id("assistant").instructions("You are a test agent.").model(model()).modelName("gpt-test");
    }

    static List<String> names(List<RunEvent> events) {
        return events.stream().map(RunEvent::eventName).toList();
    }

    /** Collapses runs of one name into "Name*" so sequences with any number of chunks compare exactly. */
    static List<String> shape(List<RunEvent> events) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (RunEvent event : events) {
            String name = event.eventName();
            String last = out.isEmpty() ? null : out.getLast();
            if (name.equals(last) || (name + "*").equals(last)) {
                out.set(out.size() - 1, name + "*");
            } else {
                out.add(name);
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.close();
    }
}
