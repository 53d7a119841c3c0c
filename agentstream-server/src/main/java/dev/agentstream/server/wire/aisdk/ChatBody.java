package dev.agentstream.server.wire.aisdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentstream.server.http.ApiError;
import dev.agentstream.server.http.JsonFields;
import java.util.ArrayList;
import java.util.List;

/**
 * The body {@code DefaultChatTransport} POSTs: the chat id, the client's whole copy of the chat,
 * why it sends ({@code trigger}) and, for an edit or a continuation, a message id. Other fields
 * (the app's own {@code body} option) are allowed and ignored.
 *
 * @param messageId null when the client sent none
 */
record ChatBody(String chatId, List<UiMessage> messages, String trigger, String messageId) {

    /** What a chat id may be: it becomes the session id. */
    static final String CHAT_ID = "[A-Za-z0-9._:-]{1,128}";

    static ChatBody parse(ObjectNode node) {
        JsonFields fields = JsonFields.lenient(node, "");
        String chatId = fields.requiredString("id");
        checkChatId(chatId);
        List<JsonNode> items = fields.requiredArray("messages");
        if (items.isEmpty()) {
            throw ApiError.invalid("messages: empty (expected: the chat, ending with the new message)");
        }
        List<UiMessage> messages = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            messages.add(UiMessage.parse(items.get(i), "messages[" + i + "]"));
        }
        String trigger = fields.string("trigger").orElse("submit-message");
        String messageId = fields.string("messageId").orElse(null);
        return new ChatBody(chatId, List.copyOf(messages), trigger, messageId);
    }

    /** A chat id from a path or a body, or 422. */
    static String checkChatId(String chatId) {
        if (!chatId.matches(CHAT_ID)) {
            throw ApiError.invalid("id: \"" + JsonFields.printable(chatId) + "\" is not a chat id (expected: 1-128 of"
                + " [A-Za-z0-9._:-])");
        }
        return chatId;
    }

    UiMessage last() {
        return messages.getLast();
    }

    /** The messages before the last one: the conversation so far, as the client holds it. */
    List<UiMessage> earlier() {
        return messages.subList(0, messages.size() - 1);
    }
}
