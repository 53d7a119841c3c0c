package dev.agentstream.server.wire.aisdk;

import dev.agentstream.store.ImportedTurn;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversation a client brings to a chat this server has never seen (say, one it stored
 * itself), as turns to start the session with: each user message's text with the text of the
 * assistant messages after it. Tool parts, files and system messages are left out. Stateless.
 */
final class ChatSeed {

    private ChatSeed() {
    }

    static List<ImportedTurn> turns(List<UiMessage> earlier) {
        List<ImportedTurn> turns = new ArrayList<>();
        String question = null;
        StringBuilder answer = new StringBuilder();
        for (UiMessage message : earlier) {
            if (message.isUser()) {
                if (question != null) {
                    turns.add(new ImportedTurn(question, answer.toString()));
                }
                question = message.text();
                answer.setLength(0);
            } else if (message.isAssistant() && question != null) {
                String text = message.text();
                if (!text.isEmpty()) {
                    answer.append(answer.isEmpty() ? "" : "\n\n").append(text);
                }
            }
        }
        if (question != null) {
            turns.add(new ImportedTurn(question, answer.toString()));
        }
        return turns;
    }
}
