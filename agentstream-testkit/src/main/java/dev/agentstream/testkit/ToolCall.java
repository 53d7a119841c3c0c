package dev.agentstream.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * One scripted tool call: its id, the function name, and its JSON arguments as the fragments in which they are
 * streamed ({@code delta.tool_calls[].function.arguments} pieces). Immutable, so thread-safe.
 */
public record ToolCall(String id, String name, List<String> argumentFragments) {

    private static final int FRAGMENT_LENGTH = 6;

    public ToolCall {
        if (id == null || id.isBlank() || name == null || name.isBlank()) {
            throw new IllegalArgumentException("a tool call needs an id and a name");
        }
        argumentFragments = List.copyOf(argumentFragments);
    }

    /** A call whose JSON arguments are streamed in fragments of a few characters, as OpenAI does. */
    public static ToolCall of(String id, String name, String argumentsJson) {
        List<String> fragments = new ArrayList<>();
        for (int start = 0; start < argumentsJson.length(); start += FRAGMENT_LENGTH) {
            fragments.add(argumentsJson.substring(start, Math.min(argumentsJson.length(), start + FRAGMENT_LENGTH)));
        }
        return new ToolCall(id, name, fragments);
    }

    /** A call whose arguments are streamed in exactly the given fragments. */
    public static ToolCall fragmented(String id, String name, String... argumentFragments) {
        return new ToolCall(id, name, List.of(argumentFragments));
    }

    /** The whole JSON arguments text. */
    public String arguments() {
        return String.join("", argumentFragments);
    }
}
