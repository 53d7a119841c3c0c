package dev.agentstream.event;

import java.util.List;

/**
 * What a paused run waits for: one per tool call that needs a person.
 *
 * @param kind what the person must do
 * @param tool the call, with its arguments
 * @param userInputSchema the fields to fill in, for {@link Kind#USER_INPUT}; otherwise null
 */
public record RunRequirement(String toolCallId, Kind kind, ToolExecution tool, List<UserInputField> userInputSchema) {

    /** The three ways a tool call can wait for people. */
    public enum Kind {
        CONFIRMATION,
        USER_INPUT,
        EXTERNAL_EXECUTION
    }
}
