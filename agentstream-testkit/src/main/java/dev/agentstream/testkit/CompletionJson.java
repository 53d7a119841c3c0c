package dev.agentstream.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the JSON objects of one chat completion, in OpenAI's wire format: the {@code chat.completion.chunk}
 * frames of a streamed answer and the single {@code chat.completion} of a non-streamed one.
 */
final class CompletionJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String id;
    private final long created;
    private final String model;

    CompletionJson(String id, long created, String model) {
        this.id = id;
        this.created = created;
        this.model = model;
    }

    /** The first frame: the role alone, with empty content, as OpenAI opens every stream. */
    ObjectNode roleChunk() {
        ObjectNode delta = JSON.objectNode();
        delta.put("role", "assistant");
        delta.put("content", "");
        return chunk(delta, null);
    }

    /** The countable chunks of the script, in streaming order: reasoning, text, then tool calls. */
    List<ObjectNode> contentChunks(Script script) {
        List<ObjectNode> chunks = new ArrayList<>();
        for (String piece : script.reasoning()) {
            chunks.add(chunk(JSON.objectNode().put("reasoning_content", piece), null));
        }
        for (String piece : script.textChunks()) {
            chunks.add(chunk(JSON.objectNode().put("content", piece), null));
        }
        List<ToolCall> calls = script.toolCallList();
        for (int index = 0; index < calls.size(); index++) {
            ToolCall call = calls.get(index);
            ObjectNode opening = JSON.objectNode();
            opening.put("index", index);
            opening.put("id", call.id());
            opening.put("type", "function");
            opening.set("function", JSON.objectNode().put("name", call.name()).put("arguments", ""));
            chunks.add(toolCallChunk(opening));
            for (String fragment : call.argumentFragments()) {
                ObjectNode continuation = JSON.objectNode();
                continuation.put("index", index);
                continuation.set("function", JSON.objectNode().put("arguments", fragment));
                chunks.add(toolCallChunk(continuation));
            }
        }
        return chunks;
    }

    ObjectNode finishChunk(String finishReason) {
        return chunk(JSON.objectNode(), finishReason);
    }

    /** The extra last frame sent for {@code stream_options.include_usage}: no choices, only usage. */
    ObjectNode usageChunk(Script.Usage usage) {
        ObjectNode node = envelope("chat.completion.chunk");
        node.putArray("choices");
        node.set("usage", usageNode(usage));
        return node;
    }

    /** The invalid JSON a malformed chunk carries: a chunk cut off in the middle. */
    String malformedChunk() {
        String whole = chunk(JSON.objectNode().put("content", "this chunk is cut off"), null).toString();
        return whole.substring(0, whole.length() / 2);
    }

    ObjectNode completion(Script script) {
        ObjectNode message = JSON.objectNode();
        message.put("role", "assistant");
        if (script.textChunks().isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", script.fullText());
        }
        if (!script.reasoning().isEmpty()) {
            message.put("reasoning_content", script.fullReasoning());
        }
        if (!script.toolCallList().isEmpty()) {
            ArrayNode toolCalls = message.putArray("tool_calls");
            for (ToolCall call : script.toolCallList()) {
                ObjectNode toolCall = toolCalls.addObject();
                toolCall.put("id", call.id());
                toolCall.put("type", "function");
                toolCall.set("function", JSON.objectNode().put("name", call.name()).put("arguments", call.arguments()));
            }
        }
        ObjectNode choice = JSON.objectNode();
        choice.put("index", 0);
        choice.set("message", message);
        choice.put("finish_reason", script.finishReason());

        ObjectNode node = envelope("chat.completion");
        node.putArray("choices").add(choice);
        script.usageReport().ifPresent(usage -> node.set("usage", usageNode(usage)));
        return node;
    }

    private ObjectNode toolCallChunk(ObjectNode toolCall) {
        ObjectNode delta = JSON.objectNode();
        delta.putArray("tool_calls").add(toolCall);
        return chunk(delta, null);
    }

    private ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode choice = JSON.objectNode();
        choice.put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        ObjectNode node = envelope("chat.completion.chunk");
        node.putArray("choices").add(choice);
        return node;
    }

    private ObjectNode envelope(String object) {
        ObjectNode node = JSON.objectNode();
        node.put("id", id);
        node.put("object", object);
        node.put("created", created);
        node.put("model", model);
        return node;
    }

    private static ObjectNode usageNode(Script.Usage usage) {
        ObjectNode node = JSON.objectNode();
        node.put("prompt_tokens", usage.promptTokens());
        node.put("completion_tokens", usage.completionTokens());
        node.put("total_tokens", usage.totalTokens());
        return node;
    }
}
