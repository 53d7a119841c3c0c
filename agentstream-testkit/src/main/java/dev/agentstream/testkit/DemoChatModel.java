package dev.agentstream.testkit;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;

/**
 * An offline {@link StreamingChatModel} for demos and tests: no network, no LLM, just keyword rules on the last
 * user message, streamed word by word with a fixed delay per word.
 *
 * <ul>
 *   <li>{@code story N}: exactly N words of a story (at most {@value DemoRules#MAX_STORY_WORDS});</li>
 *   <li>{@code calculate <expr>}: calls the {@code calculator} tool with {@code {"expression": expr}};</li>
 *   <li>{@code time}: calls {@code current_time} with {@code {}};</li>
 *   <li>{@code email <text>}: calls {@code send_email} with {@code to} (an address in the text, else
 *       someone@example.com), {@code subject} and {@code body} taken from the text;</li>
 *   <li>{@code think <text>}: streams a few sentences of thinking (onPartialThinking), then the answer;</li>
 *   <li>{@code fail}: a few words, then onError with a "demo model failure" RuntimeException;</li>
 *   <li>when the conversation ends with tool results: a sentence stating each result (for calculator,
 *       current_time and send_email, or a summary for any other tool);</li>
 *   <li>anything else: a short reply that quotes the message and says it is the demo model.</li>
 * </ul>
 * Tool specifications in the request are not needed for the rules to work.
 *
 * <p>Thread contract: immutable and thread-safe. {@link #doChat} returns at once; each reply is streamed on its
 * own virtual thread, so callbacks arrive on that thread, never on the caller's. The handle in each callback's
 * context cancels the stream promptly and without blocking: cancelled from inside a callback, no further
 * callback arrives; cancelled from another thread, at most the callback being dispatched at that instant does.
 * A cancelled stream ends without onCompleteResponse or onError.
 */
public final class DemoChatModel implements StreamingChatModel {

    public static final String MODEL_NAME = "agentstream-demo";

    private static final ThreadFactory STREAM_THREADS = Thread.ofVirtual().name("agentstream-demo-model-", 0)
            .factory();

    private final Duration wordDelay;
    private final DemoRules rules = new DemoRules(() -> "call_" + shortId());

    private DemoChatModel(Builder builder) {
        this.wordDelay = builder.wordDelay;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A demo model with the default delay of 30 ms per word. */
    public static DemoChatModel create() {
        return builder().build();
    }

    public Duration wordDelay() {
        return wordDelay;
    }

    @Override
    public void doChat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
        Objects.requireNonNull(handler, "handler");
        List<ChatMessage> messages = chatRequest.messages();
        List<String> toolNames = chatRequest.toolSpecifications() == null ? List.of()
                : chatRequest.toolSpecifications().stream().map(ToolSpecification::name).toList();
        DemoReply reply = rules.reply(messages, toolNames);
        DemoStream stream = new DemoStream(reply, handler, wordDelay, "demo-" + shortId(), countWords(messages));
        STREAM_THREADS.newThread(stream).start();
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return ChatRequestParameters.builder().modelName(MODEL_NAME).build();
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    @Override
    public String toString() {
        return "DemoChatModel[" + MODEL_NAME + ", wordDelay=" + wordDelay + "]";
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    /** Input tokens, roughly: the words of every message's text. */
    private static int countWords(List<ChatMessage> messages) {
        int words = 0;
        for (ChatMessage message : messages) {
            String text = switch (message) {
                case UserMessage user -> String.join(" ", user.contents().stream()
                        .filter(TextContent.class::isInstance).map(c -> ((TextContent) c).text()).toList());
                case SystemMessage system -> system.text();
                case AiMessage ai -> ai.text() == null ? "" : ai.text();
                case ToolExecutionResultMessage result -> result.text() == null ? "" : result.text();
                default -> "";
            };
            words += DemoReply.words(text).size();
        }
        return words;
    }

    /** Builds a {@link DemoChatModel}; not thread-safe. */
    public static final class Builder {
        private Duration wordDelay = Duration.ofMillis(30);

        private Builder() {
        }

        /** The pause before each streamed word (and tool-call fragment); zero streams as fast as possible. */
        public Builder wordDelay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("wordDelay must not be negative, got " + delay);
            }
            this.wordDelay = delay;
            return this;
        }

        public DemoChatModel build() {
            return new DemoChatModel(this);
        }
    }
}
