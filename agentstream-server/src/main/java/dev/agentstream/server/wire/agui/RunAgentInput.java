package dev.agentstream.server.wire.agui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.server.http.JsonFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What agentstream takes from AG-UI's {@code RunAgentInput}, validated. As Agno does, the thread is
 * the session and the server's stored history is the conversation: the new input is the last user
 * message, and {@code resume} entries or trailing {@code tool} messages answer a paused run.
 * Members the protocol has but agentstream does not use ({@code state}, {@code tools},
 * {@code context}, {@code forwardedProps}, …) are ignored, as the spec asks of unknown ones.
 *
 * @param userMessage the text of the last user message; null if there is none
 * @param answers answers to a paused run's interrupts; empty for a new turn
 */
record RunAgentInput(String threadId, String runId, String userMessage, List<Answer> answers) {

    static final String THREAD_ID_PATTERN = "[A-Za-z0-9._:-]{1,128}";

    /**
     * A person's answer to one pending tool call.
     *
     * @param cancelled the interrupt was cancelled rather than resolved
     * @param payload the answer: a resume entry's {@code payload}, or a tool message's content (JSON if it parses)
     * @param error a tool message's {@code error}, or null
     */
    record Answer(String toolCallId, boolean cancelled, JsonNode payload, String error) {
    }

    /** True if the request answers a paused run instead of starting a turn. */
    boolean answersPause() {
        return !answers.isEmpty();
    }

    static RunAgentInput parse(ObjectNode body) {
        String threadId = requiredText(body, "threadId");
        if (!threadId.matches(THREAD_ID_PATTERN)) {
            throw ApiError.invalid("threadId: not an id (expected: 1-128 of [A-Za-z0-9._:-])");
        }
        String runId = requiredText(body, "runId");
        if (runId.isBlank() || runId.length() > 256) {
            throw ApiError.invalid("runId: blank or over 256 characters (expected: the client's id of this run)");
        }
        List<ObjectNode> messages = objects(body, "messages", true);
        List<Answer> answers = resume(objects(body, "resume", false));
        if (answers.isEmpty()) {
            answers = trailingToolResults(messages);
        }
        String userMessage = lastUserMessage(messages);
        if (answers.isEmpty() && userMessage == null) {
            throw ApiError.invalid("messages: no user message with text (expected: the conversation, ending with the"
                + " user's new message, or resume entries answering the thread's interrupts)");
        }
        return new RunAgentInput(threadId, runId, userMessage, List.copyOf(answers));
    }

    private static List<Answer> resume(List<ObjectNode> entries) {
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ObjectNode entry = entries.get(i);
            String where = "resume[" + i + "].";
            String interruptId = requiredText(entry, where + "interruptId", "interruptId");
            String status = requiredText(entry, where + "status", "status");
            if (!status.equals("resolved") && !status.equals("cancelled")) {
                throw ApiError.invalid(where + "status: \"" + JsonFields.printable(status)
                    + "\" (expected: \"resolved\" or \"cancelled\")");
            }
            JsonNode payload = entry.get("payload");
            answers.add(new Answer(interruptId, status.equals("cancelled"),
                payload == null || payload.isNull() ? null : payload, null));
        }
        return answers;
    }

    /** The {@code tool} messages at the end of the conversation: results for calls a paused run waits for. */
    private static List<Answer> trailingToolResults(List<ObjectNode> messages) {
        List<Answer> answers = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0 && "tool".equals(role(messages.get(i), i)); i--) {
            ObjectNode message = messages.get(i);
            String toolCallId = requiredText(message, "messages[" + i + "].toolCallId", "toolCallId");
            JsonNode error = message.get("error");
            answers.addFirst(new Answer(toolCallId, false, parsed(text(message.get("content"))),
                error != null && error.isTextual() ? error.textValue() : null));
        }
        return answers;
    }

    private static String lastUserMessage(List<ObjectNode> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(role(messages.get(i), i))) {
                String text = text(messages.get(i).get("content"));
                return text.isBlank() ? null : text;
            }
        }
        return null;
    }

    /** A message's text: the string, or its text parts joined (media parts are not read). */
    private static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        StringBuilder text = new StringBuilder();
        if (content.isArray()) {
            for (JsonNode part : content) {
                if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
                    text.append(text.isEmpty() ? "" : "\n").append(part.get("text").textValue());
                }
            }
        }
        return text.toString();
    }

    private static JsonNode parsed(String content) {
        try {
            JsonNode node = AgUiEvent.MAPPER.readTree(content);
            return node == null || node.isMissingNode() ? TextNode.valueOf(content) : node;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(content);
        }
    }

    private static String role(ObjectNode message, int index) {
        JsonNode role = message.get("role");
        if (role == null || !role.isTextual()) {
            throw ApiError.invalid("messages[" + index + "].role: missing or not a string (expected: \"user\","
                + " \"assistant\", \"tool\", …)");
        }
        return role.textValue().toLowerCase(Locale.ROOT);
    }

    private static List<ObjectNode> objects(ObjectNode body, String name, boolean required) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiError.invalid(name + ": missing (expected: an array)");
            }
            return List.of();
        }
        if (!value.isArray()) {
            throw ApiError.invalid(name + ": a JSON " + value.getNodeType().name().toLowerCase(Locale.ROOT)
                + " (expected: an array)");
        }
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!(value.get(i) instanceof ObjectNode item)) {
                throw ApiError.invalid(name + "[" + i + "]: not an object");
            }
            items.add(item);
        }
        return items;
    }

    private static String requiredText(ObjectNode node, String name) {
        return requiredText(node, name, name);
    }

    private static String requiredText(ObjectNode node, String label, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw ApiError.invalid(label + ": " + (value == null || value.isNull() ? "missing" : "not a string")
                + " (expected: a string)");
        }
        return value.textValue();
    }
}
