package dev.agentstream.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed, validated access to the fields of a JSON object, with messages that name the field, what
 * it was and what was expected: {@code stream: "yes" (expected: true or false)}. Unknown fields are
 * refused, so a typo never silently changes what a request does. Wrong types and values are 422.
 *
 * <p>Thread contract: not thread-safe; one per request.
 */
public final class JsonFields {

    private final ObjectNode node;
    private final String prefix;

    private JsonFields(ObjectNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    /** The fields of {@code node}, which may hold only {@code allowed} names. */
    public static JsonFields of(ObjectNode node, Set<String> allowed) {
        return of(node, allowed, "");
    }

    /** As {@link #of(ObjectNode, Set)}, for a nested object whose field names get {@code prefix}. */
    public static JsonFields of(ObjectNode node, Set<String> allowed, String prefix) {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                unknown.add(prefix + name);
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiError.invalid("unknown field" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                + " (expected: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
        }
        return new JsonFields(node, prefix);
    }

    /** The fields of {@code node}, whatever other names it has: for clients that send fields of their own. */
    public static JsonFields lenient(ObjectNode node, String prefix) {
        return new JsonFields(node, prefix);
    }

    public String requiredString(String name) {
        return string(name).orElseThrow(() -> ApiError.invalid(prefix + name + ": missing (expected: a string)"));
    }

    public Optional<String> string(String name) {
        JsonNode value = present(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw wrongType(name, value, "a string");
        }
        return Optional.of(value.textValue());
    }

    public Optional<Boolean> bool(String name) {
        JsonNode value = present(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw wrongType(name, value, "true or false");
        }
        return Optional.of(value.booleanValue());
    }

    /** An optional string that must be one of a fixed set, parsed by {@code parse}. */
    public <T> Optional<T> choice(String name, Function<String, Optional<T>> parse, String expected) {
        return string(name).map(text -> parse.apply(text).orElseThrow(() -> ApiError.invalid(
            prefix + name + ": \"" + printable(text) + "\" (expected: " + expected + ")")));
    }

    /** An optional JSON object. */
    public Optional<ObjectNode> object(String name) {
        JsonNode value = present(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof ObjectNode object)) {
            throw wrongType(name, value, "an object");
        }
        return Optional.of(object);
    }

    /** A required JSON array. */
    public List<JsonNode> requiredArray(String name) {
        JsonNode value = present(name);
        if (value == null) {
            throw ApiError.invalid(prefix + name + ": missing (expected: an array)");
        }
        if (!value.isArray()) {
            throw wrongType(name, value, "an array");
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        return items;
    }

    /** Any JSON value, if present and not null. */
    public Optional<JsonNode> any(String name) {
        return Optional.ofNullable(present(name));
    }

    private JsonNode present(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    private ApiError wrongType(String name, JsonNode value, String expected) {
        return ApiError.invalid(prefix + name + ": a JSON " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
            + " (expected: " + expected + ")");
    }

    /** At most 64 characters of a client's value, without control characters, for a message. */
    public static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
