package dev.agentstream.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ScriptedOpenAiServer} answers to one {@code POST /v1/chat/completions}: an assistant turn
 * (reasoning, text, tool calls, usage), its pacing, and optionally one fault.
 *
 * <p>Immutable and therefore safe to share between threads and to enqueue more than once. Build one with the
 * static factories ({@link #text(String...)}, {@link #toolCalls(ToolCall...)}, {@link #serverError()}, ...) and
 * adjust it with the {@code with}-style methods, each of which returns a new script, or use {@link #builder()}.
 *
 * <p>Streaming frames are counted as <em>chunks</em>: each reasoning piece, each text piece, and for each tool
 * call its opening delta plus one delta per argument fragment. The {@code ...After(n)} faults strike after
 * {@code n} such chunks have been sent (the leading role-only frame is not counted).
 */
public final class Script {

    private final List<String> reasoning;
    private final List<String> text;
    private final List<ToolCall> toolCalls;
    private final Optional<Usage> usage;
    private final Duration initialDelay;
    private final Duration chunkDelay;
    private final Optional<Fault> fault;

    private Script(Builder builder) {
        this.reasoning = List.copyOf(builder.reasoning);
        this.text = List.copyOf(builder.text);
        this.toolCalls = List.copyOf(builder.toolCalls);
        this.usage = builder.usage;
        this.initialDelay = builder.initialDelay;
        this.chunkDelay = builder.chunkDelay;
        this.fault = builder.fault;
    }

    /** A reply streamed as the given text pieces, in order, finishing with {@code stop}. */
    public static Script text(String... chunks) {
        return builder().text(chunks).build();
    }

    /** An assistant turn that calls the given tools (in one turn), finishing with {@code tool_calls}. */
    public static Script toolCalls(ToolCall... calls) {
        return builder().toolCalls(calls).build();
    }

    /** HTTP 500 with the JSON error body OpenAI sends for an internal failure. */
    public static Script serverError() {
        return httpError(500, OpenAiError.body(
                "The server had an error while processing your request. Sorry about that!", "server_error", null));
    }

    /** HTTP 429 with OpenAI's rate-limit JSON error body and a {@code retry-after: 1} header. */
    public static Script rateLimited() {
        return rateLimited("1");
    }

    /**
     * HTTP 429 with OpenAI's rate-limit JSON error body and this {@code retry-after} header, sent as given:
     * delay-seconds ({@code "2"}) or an HTTP date ({@code "Wed, 21 Oct 2026 07:28:00 GMT"}).
     */
    public static Script rateLimited(String retryAfter) {
        return httpError(429, OpenAiError.body("Rate limit reached for requests. Please try again in "
                + (retryAfter.chars().allMatch(Character::isDigit) ? retryAfter + "s" : retryAfter) + ".",
                "requests", "rate_limit_exceeded"), Map.of("retry-after", Objects.requireNonNull(retryAfter)));
    }

    /** Any HTTP error status with the given (JSON) body. */
    public static Script httpError(int status, String jsonBody) {
        return httpError(status, jsonBody, Map.of());
    }

    /** Any HTTP error status with the given (JSON) body and extra response headers (e.g. {@code retry-after}). */
    public static Script httpError(int status, String jsonBody, Map<String, String> headers) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an HTTP error status is 400..599, got " + status);
        }
        return builder().fault(new Fault.HttpError(status, Objects.requireNonNull(jsonBody), Map.copyOf(headers))).build();
    }

    /**
     * Accepts the request but never sends response headers, until the client goes away or the server closes.
     * This is the only stall a client's response timeout can notice (see {@link #stallAfter(int)}).
     */
    public static Script stallBeforeResponse() {
        return builder().fault(new Fault.StallBeforeResponse()).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A copy that waits this long between two chunks (probing the connection meanwhile). */
    public Script chunkDelay(Duration delay) {
        return toBuilder().chunkDelay(delay).build();
    }

    /** A copy that waits this long after the response headers, before the first chunk. */
    public Script initialDelay(Duration delay) {
        return toBuilder().initialDelay(delay).build();
    }

    /** A copy that ends with a usage chunk ({@code choices: []}) reporting these token counts. */
    public Script usage(int promptTokens, int completionTokens) {
        return toBuilder().usage(promptTokens, completionTokens).build();
    }

    /**
     * A copy that aborts the TCP connection after {@code chunks} chunks, with no terminating chunk or [DONE].
     * The reset takes the place of the next chunk: it comes after the chunk delay, but at least 100 ms after
     * the last chunk, so that the client has read what was sent before its connection breaks.
     */
    public Script resetAfter(int chunks) {
        return toBuilder().fault(new Fault.ResetAfter(requireNotNegative(chunks))).build();
    }

    /**
     * A copy that, after {@code chunks} chunks, sends one {@code data:} line holding invalid JSON and then ends
     * the HTTP response without {@code [DONE]}.
     */
    public Script malformedAfter(int chunks) {
        return toBuilder().fault(new Fault.MalformedAfter(requireNotNegative(chunks))).build();
    }

    /**
     * A copy that stops sending after {@code chunks} chunks but keeps the connection open until the client
     * goes away or the server closes. The server keeps probing the connection with SSE comment lines, so a
     * client closing is noticed quickly; those comments also mean a client read-idle timeout will not fire.
     */
    public Script stallAfter(int chunks) {
        return toBuilder().fault(new Fault.StallAfter(requireNotNegative(chunks))).build();
    }

    List<String> reasoning() {
        return reasoning;
    }

    List<String> textChunks() {
        return text;
    }

    String fullText() {
        return String.join("", text);
    }

    String fullReasoning() {
        return String.join("", reasoning);
    }

    List<ToolCall> toolCallList() {
        return toolCalls;
    }

    Optional<Usage> usageReport() {
        return usage;
    }

    Duration initialDelayValue() {
        return initialDelay;
    }

    Duration chunkDelayValue() {
        return chunkDelay;
    }

    Optional<Fault> fault() {
        return fault;
    }

    String finishReason() {
        return toolCalls.isEmpty() ? "stop" : "tool_calls";
    }

    @Override
    public String toString() {
        return "Script[reasoning=" + reasoning + ", text=" + text + ", toolCalls=" + toolCalls + ", usage=" + usage
                + ", initialDelay=" + initialDelay + ", chunkDelay=" + chunkDelay + ", fault=" + fault + "]";
    }

    private static int requireNotNegative(int chunks) {
        if (chunks < 0) {
            throw new IllegalArgumentException("chunk count must be >= 0, got " + chunks);
        }
        return chunks;
    }

    private static Duration requireNotNegative(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
        return delay;
    }

    /** Mutable, single-threaded builder for {@link Script}. */
    public static final class Builder {
        private final List<String> reasoning = new ArrayList<>();
        private final List<String> text = new ArrayList<>();
        private final List<ToolCall> toolCalls = new ArrayList<>();
        private Optional<Usage> usage = Optional.empty();
        private Duration initialDelay = Duration.ZERO;
        private Duration chunkDelay = Duration.ZERO;
        private Optional<Fault> fault = Optional.empty();

        private Builder() {
        }

        private Builder(Script script) {
            reasoning.addAll(script.reasoning);
            text.addAll(script.text);
            toolCalls.addAll(script.toolCalls);
            usage = script.usage;
            initialDelay = script.initialDelay;
            chunkDelay = script.chunkDelay;
            fault = script.fault;
        }

        /** Appends {@code delta.reasoning_content} pieces, which are streamed before any text. */
        public Builder reasoning(String... chunks) {
            reasoning.addAll(List.of(chunks));
            return this;
        }

        /** Appends {@code delta.content} pieces. */
        public Builder text(String... chunks) {
            text.addAll(List.of(chunks));
            return this;
        }

        /** Appends tool calls, streamed after the text. */
        public Builder toolCalls(ToolCall... calls) {
            toolCalls.addAll(List.of(calls));
            return this;
        }

        public Builder usage(int promptTokens, int completionTokens) {
            usage = Optional.of(new Usage(promptTokens, completionTokens));
            return this;
        }

        public Builder initialDelay(Duration delay) {
            initialDelay = requireNotNegative(delay);
            return this;
        }

        public Builder chunkDelay(Duration delay) {
            chunkDelay = requireNotNegative(delay);
            return this;
        }

        Builder fault(Fault value) {
            fault = Optional.of(value);
            return this;
        }

        public Script build() {
            return new Script(this);
        }
    }

    /** Token counts reported in the final usage chunk. */
    record Usage(int promptTokens, int completionTokens) {
        Usage {
            if (promptTokens < 0 || completionTokens < 0) {
                throw new IllegalArgumentException("token counts must be >= 0");
            }
        }

        int totalTokens() {
            return promptTokens + completionTokens;
        }
    }

    /** At most one fault per script; where it strikes is described on the factory that creates it. */
    sealed interface Fault {
        record HttpError(int status, String body, Map<String, String> headers) implements Fault {
        }

        record ResetAfter(int chunks) implements Fault {
        }

        record MalformedAfter(int chunks) implements Fault {
        }

        record StallAfter(int chunks) implements Fault {
        }

        record StallBeforeResponse() implements Fault {
        }
    }
}
