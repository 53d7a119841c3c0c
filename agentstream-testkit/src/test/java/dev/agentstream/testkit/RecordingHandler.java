package dev.agentstream.testkit;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Records every callback a streaming chat model makes, from whichever thread it makes them. */
final class RecordingHandler implements StreamingChatResponseHandler {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Every callback in arrival order, e.g. "partial:Hel", "thinking:...", "complete", "error:...". */
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<String> partials = new CopyOnWriteArrayList<>();
    final List<String> thinking = new CopyOnWriteArrayList<>();
    final List<PartialToolCall> partialToolCalls = new CopyOnWriteArrayList<>();
    final List<CompleteToolCall> completeToolCalls = new CopyOnWriteArrayList<>();
    final List<Thread> callbackThreads = new CopyOnWriteArrayList<>();
    final CompletableFuture<ChatResponse> completed = new CompletableFuture<>();
    final CompletableFuture<Throwable> failed = new CompletableFuture<>();
    final CompletableFuture<StreamingHandle> handle = new CompletableFuture<>();

    private final Consumer<PartialResponseContext> onPartial;

    RecordingHandler() {
        this(context -> {
        });
    }

    /** A handler that also runs {@code onPartial} on every partial response (e.g. to cancel the stream). */
    RecordingHandler(Consumer<PartialResponseContext> onPartial) {
        this.onPartial = onPartial;
    }

    /** Cancels the stream through its handle when the {@code n}-th partial response (1-based) arrives. */
    static RecordingHandler cancellingAtPartial(int n) {
        int[] seen = {0};
        return new RecordingHandler(context -> {
            if (++seen[0] == n) {
                context.streamingHandle().cancel();
            }
        });
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
        note("partial:" + partialResponse.text());
        partials.add(partialResponse.text());
        handle.complete(context.streamingHandle());
        onPartial.accept(context);
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
        note("thinking:" + partialThinking.text());
        thinking.add(partialThinking.text());
        handle.complete(context.streamingHandle());
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
        note("partialToolCall:" + partialToolCall.index());
        partialToolCalls.add(partialToolCall);
        handle.complete(context.streamingHandle());
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall completeToolCall) {
        note("completeToolCall:" + completeToolCall.index());
        completeToolCalls.add(completeToolCall);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        note("complete");
        completed.complete(response);
    }

    @Override
    public void onError(Throwable error) {
        note("error:" + error);
        failed.complete(error);
    }

    ChatResponse awaitResponse() throws Exception {
        return completed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    Throwable awaitError() throws Exception {
        return failed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    String partialText() {
        return String.join("", partials);
    }

    List<String> terminalEvents() {
        return events.stream().filter(e -> e.equals("complete") || e.startsWith("error:")).toList();
    }

    private void note(String event) {
        events.add(event);
        callbackThreads.add(Thread.currentThread());
    }
}
