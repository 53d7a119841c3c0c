package dev.agentstream.server.wire.aisdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.server.http.JsonFields;
import java.util.ArrayList;
import java.util.List;

/**
 * One message of the client's copy of the chat ({@code UIMessage}: {@code id}, {@code role},
 * {@code parts}), read leniently: unknown fields and part types are kept as they are and ignored.
 *
 * @param parts each part as sent; only {@code text} and tool parts are read
 */
record UiMessage(String id, String role, List<ObjectNode> parts) {

    static UiMessage parse(JsonNode node, String prefix) {
        if (!(node instanceof ObjectNode object)) {
            throw ApiError.invalid(prefix + ": not an object (expected: a UIMessage {id, role, parts})");
        }
        JsonFields fields = JsonFields.lenient(object, prefix + ".");
        String id = fields.string("id").orElse("");
        String role = fields.requiredString("role");
        List<ObjectNode> parts = new ArrayList<>();
        JsonNode list = object.get("parts");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw ApiError.invalid(prefix + ".parts: not an array (expected: the message's parts)");
            }
            for (JsonNode part : list) {
                if (part instanceof ObjectNode p) {
                    parts.add(p);
                }
            }
        }
        return new UiMessage(id, role, List.copyOf(parts));
    }

    boolean isUser() {
        return "user".equals(role);
    }

    boolean isAssistant() {
        return "assistant".equals(role);
    }

    /** The text parts, joined by blank lines; empty if there are none. */
    String text() {
        StringBuilder text = new StringBuilder();
        for (ObjectNode part : parts) {
            JsonNode value = part.get("text");
            if ("text".equals(part.path("type").asText()) && value != null && value.isTextual()) {
                if (!text.isEmpty()) {
                    text.append("\n\n");
                }
                text.append(value.textValue());
            }
        }
        return text.toString();
    }

    /** The tool parts ({@code tool-<name>} and {@code dynamic-tool}) that name a call. */
    List<ObjectNode> toolParts() {
        return parts.stream()
            .filter(part -> {
                String type = part.path("type").asText();
                return (type.startsWith("tool-") || type.equals("dynamic-tool")) && part.path("toolCallId").isTextual();
            })
            .toList();
    }
}
