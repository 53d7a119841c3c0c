package dev.agentstream.testkit;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.output.FinishReason;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the demo model answers to one request, before it is streamed: thinking words, text words, tool calls,
 * and optionally a failure to report after the text.
 */
record DemoReply(List<String> thinkingWords, List<String> textWords, List<ToolExecutionRequest> toolCalls,
                 Optional<String> failure) {

    DemoReply {
        thinkingWords = List.copyOf(thinkingWords);
        textWords = List.copyOf(textWords);
        toolCalls = List.copyOf(toolCalls);
    }

    static DemoReply text(String text) {
        return new DemoReply(List.of(), words(text), List.of(), Optional.empty());
    }

    static DemoReply thinkingThenText(String thinking, String text) {
        return new DemoReply(words(thinking), words(text), List.of(), Optional.empty());
    }

    static DemoReply toolCall(ToolExecutionRequest call) {
        return new DemoReply(List.of(), List.of(), List.of(call), Optional.empty());
    }

    static DemoReply textThenFailure(String text, String failure) {
        return new DemoReply(List.of(), words(text), List.of(), Optional.of(failure));
    }

    /** The streamed pieces of {@code words}: the first as is, each later one with a leading space. */
    static List<String> tokens(List<String> words) {
        List<String> tokens = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            tokens.add(i == 0 ? words.get(i) : " " + words.get(i));
        }
        return tokens;
    }

    static List<String> words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    AiMessage aiMessage() {
        AiMessage.Builder message = AiMessage.builder();
        if (!textWords.isEmpty() || toolCalls.isEmpty()) {
            message.text(String.join(" ", textWords));
        }
        if (!thinkingWords.isEmpty()) {
            message.thinking(String.join(" ", thinkingWords));
        }
        if (!toolCalls.isEmpty()) {
            message.toolExecutionRequests(toolCalls);
        }
        return message.build();
    }

    FinishReason finishReason() {
        return toolCalls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_EXECUTION;
    }

    /** Words as tokens, roughly: thinking and text words, plus the words of each call's name and arguments. */
    int outputTokens() {
        int tokens = thinkingWords.size() + textWords.size();
        for (ToolExecutionRequest call : toolCalls) {
            tokens += 1 + words(call.arguments().replaceAll("[{}\":,]", " ")).size();
        }
        return tokens;
    }
}
