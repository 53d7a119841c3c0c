package dev.agentstream.tool;

import dev.agentstream.event.UserInputField;
import java.util.List;

/**
 * What people must do before a tool call runs: approve it, fill in fields, or run it themselves.
 * Immutable.
 *
 * @param userInputFields fields a person fills in; they are merged into the call's arguments
 */
public record ToolPolicy(boolean requiresConfirmation, List<UserInputField> userInputFields, boolean externalExecution) {

    public static final ToolPolicy NONE = new ToolPolicy(false, List.of(), false);

    public ToolPolicy {
        userInputFields = List.copyOf(userInputFields);
    }

    public boolean requiresUserInput() {
        return !userInputFields.isEmpty();
    }

    public boolean needsPerson() {
        return requiresConfirmation || requiresUserInput() || externalExecution;
    }
}
