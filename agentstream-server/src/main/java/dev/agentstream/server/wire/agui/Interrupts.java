package dev.agentstream.server.wire.agui;

import dev.agentstream.event.RunRequirement;
import dev.agentstream.event.UserInputField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A paused run's requirements as AG-UI interrupts, one per tool call that waits for a person, with
 * the tool call's id as the interrupt's id (so a {@code resume} entry names the call it answers)
 * and a {@code responseSchema} describing the payload that answers it: {@code {"accepted", "note"?}}
 * for a confirmation, {@code {"values": {…}}} with the requirement's fields for user input, the
 * result for an external execution.
 */
final class Interrupts {

    static final String REASON_TOOL_CALL = "tool_call";
    static final String REASON_INPUT_REQUIRED = "input_required";

    private Interrupts() {
    }

    static List<AgUiEvent.Interrupt> of(List<RunRequirement> requirements) {
        List<AgUiEvent.Interrupt> interrupts = new ArrayList<>(requirements.size());
        for (RunRequirement requirement : requirements) {
            interrupts.add(of(requirement));
        }
        return interrupts;
    }

    static AgUiEvent.Interrupt of(RunRequirement requirement) {
        String tool = requirement.tool().toolName();
        String id = requirement.toolCallId();
        return switch (requirement.kind()) {
            case CONFIRMATION -> {
                Map<String, Object> properties = new LinkedHashMap<>();
                properties.put("accepted", type("boolean"));
                properties.put("note", type("string"));
                yield new AgUiEvent.Interrupt(id, REASON_TOOL_CALL, "Allow the call to " + tool + "?", id,
                    object(properties, List.of("accepted")));
            }
            case USER_INPUT -> new AgUiEvent.Interrupt(id, REASON_INPUT_REQUIRED, tool + " needs your input", id,
                object(Map.of("values", fields(requirement.userInputSchema())), List.of("values")));
            case EXTERNAL_EXECUTION -> new AgUiEvent.Interrupt(id, REASON_TOOL_CALL,
                "Run " + tool + " and answer with its result", id, null);
        };
    }

    private static Map<String, Object> fields(List<UserInputField> fields) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (UserInputField field : fields == null ? List.<UserInputField>of() : fields) {
            Map<String, Object> property = new LinkedHashMap<>();
            String type = jsonType(field.fieldType());
            if (type != null) {
                property.put("type", type);
            }
            if (field.description() != null) {
                property.put("description", field.description());
            }
            properties.put(field.name(), property);
            required.add(field.name());
        }
        return object(properties, required);
    }

    private static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        return schema;
    }

    private static Map<String, Object> type(String type) {
        return Map.of("type", type);
    }

    /** The JSON Schema type of an Agno field type ({@code str}, {@code int}, …); null (any) for others. */
    private static String jsonType(String fieldType) {
        if (fieldType == null) {
            return null;
        }
        return switch (fieldType) {
            case "str", "string" -> "string";
            case "int", "integer" -> "integer";
            case "float", "number" -> "number";
            case "bool", "boolean" -> "boolean";
            case "list", "array" -> "array";
            case "dict", "object" -> "object";
            default -> null;
        };
    }
}
