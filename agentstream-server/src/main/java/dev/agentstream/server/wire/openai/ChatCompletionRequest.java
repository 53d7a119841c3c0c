package dev.agentstream.server.wire.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentstream.server.http.ApiError;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /v1/chat/completions}, validated. The {@code messages} are the whole
 * conversation, as chat-completions clients keep it: the last one, a user message, is the agent's
 * input and the ones before it are the history the agent sees for this run.
 *
 * <p>Only what changes the answer's shape is read ({@code model}, {@code messages}, {@code stream},
 * {@code stream_options.include_usage}); sampling options ({@code temperature}, {@code max_tokens},
 * …) are the agent's model's business and are ignored, since every client sends some of them. What
 * cannot be honoured is refused: {@code n} other than 1, and client-side {@code tools} (the agent's
 * own tools run inside agentstream).
 *
 * @param model the agent or team id
 * @param history the messages before the input, oldest first
 * @param input the text of the last user message
 */
record ChatCompletionRequest(String model, List<ChatMessage> history, String input, boolean stream,
                             boolean includeUsage) {

    static ChatCompletionRequest parse(ObjectNode body) {
        String model = text(body.get("model"), "model");
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw invalid("messages: " + kind(messages) + " (expected: a non-empty array of messages)");
        }
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && !(n.canConvertToInt() && n.intValue() == 1)) {
            throw invalid("n: " + n + " (expected: 1; an agent gives one answer)");
        }
        JsonNode tools = body.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            throw invalid("tools: client-side tools are not supported (the agent's own tools run inside"
                + " agentstream; send no tools)");
        }
        List<ChatMessage> conversation = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = message(messages.get(i), "messages[" + i + "]");
            if (message != null) {
                conversation.add(message);
            }
        }
        if (conversation.isEmpty() || !(conversation.getLast() instanceof UserMessage last)) {
            throw invalid("messages: the last message is not a user message (expected: the user's input"
                + " last)");
        }
        if (last.singleText().isBlank()) {
            throw invalid("messages: the last user message is blank (expected: the user's input)");
        }
        return new ChatCompletionRequest(model, List.copyOf(conversation.subList(0, conversation.size() - 1)),
            last.singleText(), flag(body.get("stream"), "stream"), includeUsage(body.get("stream_options")));
    }

    /** The message as the agent's model sees it; null for one that says nothing. */
    private static ChatMessage message(JsonNode message, String at) {
        if (!(message instanceof ObjectNode object)) {
            throw invalid(at + ": " + kind(message) + " (expected: an object with role and content)");
        }
        String role = text(object.get("role"), at + ".role");
        JsonNode toolCalls = object.get("tool_calls");
        if (toolCalls != null && toolCalls.isArray() && !toolCalls.isEmpty()) {
            throw invalid(at + ".tool_calls: not supported (the agent's own tools run inside agentstream)");
        }
        return switch (role) {
            case "user" -> UserMessage.from(content(object.get("content"), at, false));
            case "assistant" -> AiMessage.from(content(object.get("content"), at, true));
            case "system", "developer" -> {
                String text = content(object.get("content"), at, false);
                // A blank instruction says nothing, and LangChain4j refuses to build one.
                yield text.isBlank() ? null : SystemMessage.from(text);
            }
            default -> throw invalid(at + ".role: \"" + printable(role) + "\" (expected: user, assistant, system"
                + " or developer; tool results belong to the agent's own tools)");
        };
    }

    /** A string, or an array of {@code {"type":"text","text":…}} parts joined. */
    private static String content(JsonNode content, String at, boolean mayBeEmpty) {
        if (content == null || content.isNull()) {
            if (mayBeEmpty) {
                return "";
            }
            throw invalid(at + ".content: missing (expected: a string or text parts)");
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            throw invalid(at + ".content: " + kind(content) + " (expected: a string or text parts)");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            JsonNode type = part.get("type");
            JsonNode value = part.get("text");
            if (type == null || !"text".equals(type.asText()) || value == null || !value.isTextual()) {
                throw invalid(at + ".content: a " + (type == null ? "part without a type" : "\"" + printable(type.asText())
                    + "\" part") + " (expected: text parts; only text is supported)");
            }
            text.append(value.textValue());
        }
        return text.toString();
    }

    private static boolean includeUsage(JsonNode options) {
        if (options == null || options.isNull()) {
            return false;
        }
        if (!options.isObject()) {
            throw invalid("stream_options: " + kind(options) + " (expected: an object)");
        }
        return flag(options.get("include_usage"), "stream_options.include_usage");
    }

    private static String text(JsonNode value, String name) {
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw invalid(name + ": " + kind(value) + " (expected: a non-empty string)");
        }
        return value.textValue();
    }

    private static boolean flag(JsonNode value, String name) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw invalid(name + ": " + kind(value) + " (expected: true or false)");
        }
        return value.booleanValue();
    }

    private static String kind(JsonNode value) {
        return value == null || value.isMissingNode() ? "missing" : "a JSON " + value.getNodeType().name().toLowerCase(
            java.util.Locale.ROOT);
    }

    private static String printable(String text) {
        return dev.agentstream.server.http.JsonFields.printable(text);
    }

    /** 400, OpenAI's status for a bad parameter. */
    private static ApiError invalid(String message) {
        return ApiError.badRequest("invalid_value", message);
    }
}
