package dev.agentstream.event;

/**
 * A field a person must fill in before a tool runs (Agno's {@code user_input_schema} entry).
 *
 * @param value filled in by the person on continue; null while pending
 */
public record UserInputField(String name, String fieldType, String description, Object value) {

    public UserInputField withValue(Object newValue) {
        return new UserInputField(name, fieldType, description, newValue);
    }
}
