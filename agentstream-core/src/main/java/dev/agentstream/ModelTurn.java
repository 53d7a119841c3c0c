package dev.agentstream;

import dev.agentstream.event.ReasoningCompleted;
import dev.agentstream.event.ReasoningContentDelta;
import dev.agentstream.event.ReasoningStarted;
import dev.agentstream.event.ReasoningStep;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import java.util.concurrent.CompletableFuture;

/**
 * One streamed model call: turns the model's callbacks into run events as they arrive and
 * completes {@link #response()} at the end.
 *
 * <p>Thread contract: the model calls it on its own thread, one callback at a time (LangChain4j's
 * contract); nothing is emitted once the run is cancelled.
 */
final class ModelTurn implements StreamingChatResponseHandler {

    private final RunEmitter emitter;
    private final RunControl control;
    private final CompletableFuture<ChatResponse> response = new CompletableFuture<>();
    private final StringBuilder thinkingBlock = new StringBuilder();
    private boolean thinking;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile boolean producedOutput;

    ModelTurn(RunEmitter emitter, RunControl control) {
        this.emitter = emitter;
        this.control = control;
    }

    CompletableFuture<ChatResponse> response() {
        return response;
    }

    /** Whether the model sent any text, reasoning or tool call: then the turn must not be retried. */
    boolean producedOutput() {
        return producedOutput;
    }

    /** When the model last sent anything, by {@link System#nanoTime()}. */
    long lastActivityNanos() {
        return lastActivityNanos;
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
        lastActivityNanos = System.nanoTime();
        control.attachHandle(context.streamingHandle());
        onPartialResponse(partialResponse.text());
    }

    @Override
    public void onPartialResponse(String text) {
        lastActivityNanos = System.nanoTime();
        if (control.isCancelled() || text == null || text.isEmpty()) {
            return;
        }
        producedOutput = true;
        endThinking();
        emitter.content(text);
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
        lastActivityNanos = System.nanoTime();
        control.attachHandle(context.streamingHandle());
        onPartialThinking(partialThinking);
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking) {
        lastActivityNanos = System.nanoTime();
        String text = partialThinking.text();
        if (control.isCancelled() || text == null || text.isEmpty()) {
            return;
        }
        producedOutput = true;
        if (!thinking) {
            thinking = true;
            emitter.emit(ReasoningStarted::new);
        }
        thinkingBlock.append(text);
        emitter.reasoning(text, h -> new ReasoningContentDelta(h, text));
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
        lastActivityNanos = System.nanoTime();
        producedOutput = true;
        control.attachHandle(context.streamingHandle());
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
        if (!control.isCancelled()) {
            endThinking();
            TokenUsage usage = completeResponse.tokenUsage();
            if (usage != null) {
                emitter.addUsage(orZero(usage.inputTokenCount()), orZero(usage.outputTokenCount()));
            }
        }
        response.complete(completeResponse);
    }

    @Override
    public void onError(Throwable error) {
        response.completeExceptionally(error);
    }

    private void endThinking() {
        if (thinking) {
            thinking = false;
            String block = thinkingBlock.toString();
            thinkingBlock.setLength(0);
            emitter.emit(h -> new ReasoningStep(h, block));
            emitter.emit(h -> new ReasoningCompleted(h, block));
        }
    }

    private static long orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
