package dev.agentstream.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides the demo model's reply from the conversation: keyword rules on the last user message, and a
 * sentence about the tool results when the conversation ends with them. A pure function of its input.
 */
final class DemoRules {

    static final String GREETING = "This is the agentstream demo model (offline, no LLM). You said: \u201c%s\u201d."
            + " Try: story 50, calculate 2+3, time, email bob@example.com hello, think about X, fail.";

    /** A cap on "story N", so that a typo cannot tie a thread up for hours. */
    static final int MAX_STORY_WORDS = 10_000;

    /** The prefix of a team leader's delegation tools (agentstream's {@code Team.DELEGATE_PREFIX}). */
    static final String DELEGATE_PREFIX = "ask_";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STORY = rule("story\\s+(\\d{1,9})\\b.*");
    private static final Pattern CALCULATE = rule("calculate\\s+(.+)");
    private static final Pattern TIME = rule("time\\b.*");
    private static final Pattern EMAIL = rule("email\\s+(.+)");
    private static final Pattern THINK = rule("think\\s+(.+)");
    private static final Pattern FAIL = rule("fail\\b.*");
    private static final Pattern ADDRESS = Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+");
    private static final Pattern NOT_SENT = Pattern.compile(
            "reject|not sent|denied|declined|refused|fail|error|cancel|blocked", Pattern.CASE_INSENSITIVE);
    private static final List<String> STORY_WORDS = DemoReply.words("""
            Once upon a time a small robot lived in a quiet library at the edge of the city. Every night it read
            one more book, and every morning it told the pigeons on the roof what it had learned. The pigeons
            never understood a word, but they always came back for more, because the robot told stories with
            such joy that even the wind stopped to listen.""");

    private final Supplier<String> toolCallIds;

    DemoRules(Supplier<String> toolCallIds) {
        this.toolCallIds = toolCallIds;
    }

    /**
     * The reply to a conversation. With delegation tools on offer ({@code ask_<member>}, as a team's
     * leader gets them), the demo model leads: it asks every member at once, then sums up their answers.
     */
    DemoReply reply(List<ChatMessage> messages, List<String> toolNames) {
        List<String> members = toolNames.stream().filter(name -> name.startsWith(DELEGATE_PREFIX)).toList();
        if (!members.isEmpty()) {
            return lead(messages, members);
        }
        return reply(messages);
    }

    private DemoReply lead(List<ChatMessage> messages, List<String> delegationTools) {
        List<ToolExecutionResultMessage> results = trailingToolResults(messages);
        if (!results.isEmpty()) {
            String answers = results.stream()
                    .map(r -> r.toolName().substring(DELEGATE_PREFIX.length()) + " said: " + r.text().strip())
                    .collect(Collectors.joining(" "));
            return DemoReply.text("The team has answered. " + answers + " (Led by the offline demo model.)");
        }
        String task = lastUserText(messages).strip();
        List<ToolExecutionRequest> calls = delegationTools.stream()
                .map(tool -> ToolExecutionRequest.builder().id(toolCallIds.get()).name(tool)
                        .arguments(json().put("task", task).toString()).build())
                .toList();
        return new DemoReply(List.of(), List.of(), calls, Optional.empty());
    }

    DemoReply reply(List<ChatMessage> messages) {
        List<ToolExecutionResultMessage> results = trailingToolResults(messages);
        if (!results.isEmpty()) {
            return DemoReply.text(results.stream().map(result -> describe(result, messages))
                    .collect(Collectors.joining(" ")));
        }
        String said = lastUserText(messages);
        String command = said.strip();
        Matcher match;
        if ((match = STORY.matcher(command)).matches()) {
            return story(Math.min(Integer.parseInt(match.group(1)), MAX_STORY_WORDS));
        }
        if ((match = CALCULATE.matcher(command)).matches()) {
            return toolCall("calculator", json().put("expression", match.group(1).strip()));
        }
        if (TIME.matcher(command).matches()) {
            return toolCall("current_time", json());
        }
        if ((match = EMAIL.matcher(command)).matches()) {
            return email(match.group(1).strip());
        }
        if ((match = THINK.matcher(command)).matches()) {
            return think(match.group(1).strip());
        }
        if (FAIL.matcher(command).matches()) {
            return DemoReply.textThenFailure("Starting to answer, and then",
                    "demo model failure: the message asked for 'fail', so the demo model fails on purpose");
        }
        return DemoReply.text(GREETING.formatted(said.strip()));
    }

    private static DemoReply story(int words) {
        List<String> story = new ArrayList<>(words);
        for (int i = 0; i < words; i++) {
            story.add(STORY_WORDS.get(i % STORY_WORDS.size()));
        }
        return new DemoReply(List.of(), story, List.of(), Optional.empty());
    }

    private DemoReply email(String text) {
        Matcher address = ADDRESS.matcher(text);
        String to = address.find() ? address.group() : "someone@example.com";
        String body = String.join(" ", DemoReply.words(ADDRESS.matcher(text).replaceAll(" ")));
        if (body.isEmpty()) {
            body = "Hello!";
        }
        List<String> bodyWords = DemoReply.words(body);
        String subject = String.join(" ", bodyWords.subList(0, Math.min(6, bodyWords.size())));
        return toolCall("send_email", json().put("to", to).put("subject", subject).put("body", body));
    }

    private static DemoReply think(String about) {
        String topic = about.toLowerCase(Locale.ROOT).startsWith("about ") ? about.substring(6).strip() : about;
        String thinking = ("The user wants me to think about %s. Let me take it step by step. First, what does %s"
                + " involve? Next, which side of it matters most here? I will keep the answer short and plain.")
                .formatted(topic, topic);
        String answer = ("Having thought about %s: it is worth a closer look, one step at a time. (This is the"
                + " offline demo model, so the thinking was scripted.)").formatted(topic);
        return DemoReply.thinkingThenText(thinking, answer);
    }

    private DemoReply toolCall(String name, ObjectNode arguments) {
        return DemoReply.toolCall(ToolExecutionRequest.builder().id(toolCallIds.get()).name(name)
                .arguments(arguments.toString()).build());
    }

    private static String describe(ToolExecutionResultMessage result, List<ChatMessage> messages) {
        JsonNode arguments = argumentsOfCall(result.id(), messages);
        String text = result.text() == null ? "" : result.text().strip();
        boolean failed = Boolean.TRUE.equals(result.isError());
        return switch (result.toolName() == null ? "" : result.toolName()) {
            case "calculator" -> {
                String expression = arguments.path("expression").asText("the expression");
                yield failed || text.startsWith("Cannot evaluate")
                        ? "I could not calculate " + expression + ": " + text
                        : "The result of " + expression + " is " + text + ".";
            }
            case "current_time" -> "The current time is " + text + ".";
            case "send_email" -> failed || NOT_SENT.matcher(text).find()
                    ? "The email was not sent: " + text
                    : "The email to " + arguments.path("to").asText("the recipient") + " was sent.";
            default -> "The tool " + result.toolName() + " returned: " + text;
        };
    }

    /** The arguments of the tool call with this id, from the AI message that made it; empty if not found. */
    private static JsonNode argumentsOfCall(String id, List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof AiMessage ai && ai.hasToolExecutionRequests()) {
                for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                    if (call.id() != null && call.id().equals(id)) {
                        return parse(call.arguments());
                    }
                }
            }
        }
        return json();
    }

    private static List<ToolExecutionResultMessage> trailingToolResults(List<ChatMessage> messages) {
        List<ToolExecutionResultMessage> results = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0 && messages.get(i) instanceof ToolExecutionResultMessage r; i--) {
            results.addFirst(r);
        }
        return results;
    }

    private static String lastUserText(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage user) {
                return user.contents().stream().filter(TextContent.class::isInstance)
                        .map(content -> ((TextContent) content).text()).collect(Collectors.joining(" "));
            }
        }
        return "";
    }

    private static JsonNode parse(String arguments) {
        try {
            return arguments == null ? json() : JSON.readTree(arguments);
        } catch (JsonProcessingException e) {
            return json();
        }
    }

    private static ObjectNode json() {
        return JSON.createObjectNode();
    }

    private static Pattern rule(String regex) {
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }
}
