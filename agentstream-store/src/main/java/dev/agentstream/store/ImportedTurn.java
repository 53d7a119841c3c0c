package dev.agentstream.store;

import static java.util.Objects.requireNonNull;

/**
 * One turn of a conversation held elsewhere (a chat client's own copy), to start a session with:
 * what the user said and what was answered.
 *
 * @param answer the answer's text; empty if there was none
 */
public record ImportedTurn(String userMessage, String answer) {

    public ImportedTurn {
        requireNonNull(userMessage, "userMessage");
        requireNonNull(answer, "answer");
    }
}
