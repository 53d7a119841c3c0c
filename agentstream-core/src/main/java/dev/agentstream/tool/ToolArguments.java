package dev.agentstream.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.event.EventJson;
import dev.agentstream.run.FaultKind;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks the arguments a model sent for a tool call against the tool's LangChain4j schema before the
 * tool runs: JSON, an object, every required parameter there, every value of its declared type. The
 * method binding would otherwise pass {@code null} for a missing parameter, or fail with a message
 * about Java types that the model cannot act on.
 *
 * <p>Thread contract: stateless.
 */
final class ToolArguments {

    /** Enough mismatches for the model to fix its call; more would only fill its context. */
    private static final int MAX_PROBLEMS = 5;

    private ToolArguments() {
    }

    /** @throws ToolSet.ToolFailure of kind {@link FaultKind#TOOL_BAD_ARGUMENTS} naming what is wrong */
    static void check(ToolSpecification spec, String arguments) {
        JsonNode args;
        try {
            args = arguments == null || arguments.isBlank() ? EventJson.mapper().createObjectNode()
                : EventJson.mapper().readTree(arguments);
        } catch (JsonProcessingException e) {
            throw bad(spec, "the arguments are not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (args == null || !args.isObject()) {
            throw bad(spec, "the arguments must be a JSON object");
        }
        JsonObjectSchema schema = spec.parameters();
        if (schema == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        checkObject(schema, args, "", problems);
        if (!problems.isEmpty()) {
            throw bad(spec, "the arguments do not match its parameters: " + String.join("; ", problems));
        }
    }

    private static ToolSet.ToolFailure bad(ToolSpecification spec, String problem) {
        return new ToolSet.ToolFailure(FaultKind.TOOL_BAD_ARGUMENTS, "tool " + spec.name() + ": " + problem);
    }

    private static void checkObject(JsonObjectSchema schema, JsonNode value, String path, List<String> problems) {
        for (String name : schema.required()) {
            JsonNode field = value.get(name);
            if (field == null || field.isNull()) {
                add(problems, path + name + " is required");
            }
        }
        for (Map.Entry<String, JsonSchemaElement> property : schema.properties().entrySet()) {
            JsonNode field = value.get(property.getKey());
            if (field != null && !field.isNull()) {
                check(property.getValue(), field, path + property.getKey(), problems);
            }
        }
    }

    private static void check(JsonSchemaElement schema, JsonNode value, String path, List<String> problems) {
        switch (schema) {
            case JsonStringSchema s -> expect(value.isTextual(), "a string", value, path, problems);
            case JsonIntegerSchema s -> expect(value.isIntegralNumber() || (value.isNumber() && isWhole(value)),
                "an integer", value, path, problems);
            case JsonNumberSchema s -> expect(value.isNumber(), "a number", value, path, problems);
            case JsonBooleanSchema s -> expect(value.isBoolean(), "true or false", value, path, problems);
            case JsonNullSchema s -> expect(value.isNull(), "null", value, path, problems);
            case JsonEnumSchema s -> expect(value.isTextual() && s.enumValues().contains(value.asText()),
                "one of " + s.enumValues(), value, path, problems);
            case JsonArraySchema s -> {
                if (expect(value.isArray(), "an array", value, path, problems) && s.items() != null) {
                    for (int i = 0; i < value.size(); i++) {
                        check(s.items(), value.get(i), path + "[" + i + "]", problems);
                    }
                }
            }
            case JsonObjectSchema s -> {
                if (expect(value.isObject(), "an object", value, path, problems)) {
                    checkObject(s, value, path + ".", problems);
                }
            }
            case JsonAnyOfSchema s -> {
                boolean any = s.anyOf().stream().anyMatch(option -> {
                    List<String> optionProblems = new ArrayList<>();
                    check(option, value, path, optionProblems);
                    return optionProblems.isEmpty();
                });
                expect(any, "a value of one of its allowed types", value, path, problems);
            }
            default -> {
                // References and raw schemas: the tool's own binding decides.
            }
        }
    }

    private static boolean expect(boolean ok, String expected, JsonNode value, String path, List<String> problems) {
        if (!ok) {
            add(problems, path + ": expected " + expected + ", got " + abbreviated(value));
        }
        return ok;
    }

    private static boolean isWhole(JsonNode number) {
        return number.decimalValue().stripTrailingZeros().scale() <= 0;
    }

    private static String abbreviated(JsonNode value) {
        String text = value.toString();
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    private static void add(List<String> problems, String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        }
    }
}
