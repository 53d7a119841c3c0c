package dev.agentstream.server.wire.openai;

import dev.agentstream.event.Metrics;
import java.util.List;

/**
 * OpenAI's JSON shapes that agentstream answers with, as records the run model's mapper writes
 * (snake_case, nulls left out): the model list, a whole completion, a chunk's parts and usage.
 */
final class OpenAiViews {

    private OpenAiViews() {
    }

    /** {@code GET /v1/models}. */
    record ModelList(String object, List<Model> data) {
        ModelList(List<Model> data) {
            this("list", data);
        }
    }

    /** An agent or team, as a model: its id is what {@code model} names in a completion request. */
    record Model(String id, String object, long created, String ownedBy) {
        Model(String id, long created) {
            this(id, "model", created, "agentstream");
        }
    }

    /** A {@code stream: false} answer. */
    record Completion(String id, String object, long created, String model, List<Choice> choices, Usage usage) {
        Completion(CompletionIds ids, String content, String reasoningContent, Usage usage) {
            this(ids.id(), "chat.completion", ids.created(), ids.model(),
                List.of(new Choice(0, new Message("assistant", content, reasoningContent), "stop")), usage);
        }
    }

    record Choice(int index, Message message, String finishReason) {
    }

    /** The assistant's message; {@code reasoning_content} only when the model reasoned. */
    record Message(String role, String content, String reasoningContent) {
    }

    /** The last chunk of a stream, or an empty {@code choices} with {@code usage} for the usage chunk. */
    record Chunk(String id, String object, long created, String model, List<ChunkChoice> choices, Usage usage) {
        Chunk(CompletionIds ids, List<ChunkChoice> choices, Usage usage) {
            this(ids.id(), "chat.completion.chunk", ids.created(), ids.model(), choices, usage);
        }
    }

    /** A choice of a chunk; {@code delta} is always an object, possibly empty. */
    record ChunkChoice(int index, Delta delta, String finishReason) {
    }

    record Delta(String role, String content) {
        static final Delta EMPTY = new Delta(null, null);
    }

    record Usage(long promptTokens, long completionTokens, long totalTokens) {
        static Usage of(Metrics metrics) {
            Metrics m = metrics == null ? Metrics.EMPTY : metrics;
            return new Usage(m.inputTokens(), m.outputTokens(), m.totalTokens());
        }
    }

    /** OpenAI's error shape, also sent as a stream's last chunk when the run did not complete. */
    record ErrorBody(Error error) {
    }

    /** {@code param} is always null: the message names the field. */
    record Error(String message, String type, String param, String code) {
    }
}
