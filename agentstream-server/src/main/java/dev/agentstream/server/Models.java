package dev.agentstream.server;

import dev.agentstream.http.ModelHttpClient;
import dev.agentstream.server.http.JsonFields;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;

/**
 * The model named by {@code AGENTSTREAM_MODEL}: {@code demo} (offline, scripted) or
 * {@code openai:<model>}, which speaks the OpenAI protocol to {@code OPENAI_BASE_URL} (OpenAI by
 * default; any compatible server such as vLLM, Ollama or LM Studio otherwise).
 */
final class Models {

    /** The HTTP client's read (idle) timeout: a backstop far past the runtime's idle timeout. */
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

    private Models() {
    }

    /**
     * A model and the name shown for it.
     *
     * @param name e.g. {@code gpt-4o-mini} or {@code demo}
     */
    record Named(StreamingChatModel model, String name) {
    }

    static Named fromConfig(ServerConfig config) {
        String spec = config.model();
        if (spec.equals("demo")) {
            return new Named(DemoAgent.model(config.demoDelay()), "demo");
        }
        if (spec.startsWith("openai:") && spec.length() > "openai:".length()) {
            return new Named(openAi(spec.substring("openai:".length()), config), spec.substring("openai:".length()));
        }
        throw new IllegalArgumentException("AGENTSTREAM_MODEL: " + JsonFields.printable(spec)
            + " (expected: demo or openai:<model>, e.g. openai:gpt-4o-mini)");
    }

    private static StreamingChatModel openAi(String modelName, ServerConfig config) {
        String key = config.openAiApiKey();
        if (key == null) {
            if (config.openAiBaseUrl() == null) {
                throw new IllegalArgumentException("OPENAI_API_KEY: missing (expected: a key for AGENTSTREAM_MODEL="
                    + config.model() + ", or OPENAI_BASE_URL for a compatible server that needs none)");
            }
            // Local OpenAI-compatible servers often need no key, but the client wants one.
            key = "not-needed";
        }
        OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder builder = OpenAiStreamingChatModel.builder()
            // Streams are read without a platform thread each, and a stop closes the connection at once.
            // A connection the model's server refuses fails at once; one it never answers, within the
            // connect timeout. A silent stream is ended by the runtime's idle timeout, not by this client.
            .httpClientBuilder(ModelHttpClient.builder().pinConnectTimeout(config.upstream().connectTimeout()))
            .timeout(READ_TIMEOUT)
            .apiKey(key)
            .modelName(modelName);
        if (config.openAiBaseUrl() != null) {
            builder.baseUrl(config.openAiBaseUrl());
        }
        return builder.build();
    }
}
