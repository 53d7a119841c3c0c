package dev.agentstream.testkit;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
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
import dev.langchain4j.model.output.TokenUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Streams one {@link DemoReply} to a handler, word by word, on the thread that calls {@link #run()}; it is also
 * that stream's {@link StreamingHandle}.
 *
 * <p>Cancelling: {@link #cancel()} never blocks and may be called from any thread. It wakes the stream at once,
 * and the stream checks for it right before every callback. So cancel() from inside a callback means no further
 * callback at all; from another thread, at most the one callback being dispatched at that instant still
 * arrives. A cancelled stream ends silently, without onCompleteResponse or onError. If a callback throws, the
 * stream reports that exception to onError and stops.
 */
final class DemoStream implements StreamingHandle, Runnable {

    private static final Logger log = LoggerFactory.getLogger(DemoStream.class);

    private final DemoReply reply;
    private final StreamingChatResponseHandler handler;
    private final Duration wordDelay;
    private final String responseId;
    private final int inputTokens;
    private final CountDownLatch cancelled = new CountDownLatch(1);

    DemoStream(DemoReply reply, StreamingChatResponseHandler handler, Duration wordDelay, String responseId,
               int inputTokens) {
        this.reply = reply;
        this.handler = handler;
        this.wordDelay = wordDelay;
        this.responseId = responseId;
        this.inputTokens = inputTokens;
    }

    @Override
    public void cancel() {
        cancelled.countDown();
    }

    @Override
    public boolean isCancelled() {
        return cancelled.getCount() == 0;
    }

    @Override
    public void run() {
        try {
            for (String token : DemoReply.tokens(reply.thinkingWords())) {
                if (!pause()) {
                    return;
                }
                handler.onPartialThinking(new PartialThinking(token), new PartialThinkingContext(this));
            }
            for (String token : DemoReply.tokens(reply.textWords())) {
                if (!pause()) {
                    return;
                }
                handler.onPartialResponse(new PartialResponse(token), new PartialResponseContext(this));
            }
            List<ToolExecutionRequest> calls = reply.toolCalls();
            for (int index = 0; index < calls.size(); index++) {
                if (!streamToolCall(index, calls.get(index))) {
                    return;
                }
            }
            if (isCancelled()) {
                return;
            }
            if (reply.failure().isPresent()) {
                report(new RuntimeException(reply.failure().get()));
            } else {
                handler.onCompleteResponse(response());
            }
        } catch (RuntimeException callbackFailure) {
            if (!isCancelled()) {
                report(callbackFailure);
            }
        }
    }

    /** Streams the arguments in two halves, then the complete call; false if cancelled meanwhile. */
    private boolean streamToolCall(int index, ToolExecutionRequest call) {
        String arguments = call.arguments();
        int half = arguments.length() / 2;
        for (String fragment : List.of(arguments.substring(0, half), arguments.substring(half))) {
            if (!pause()) {
                return false;
            }
            handler.onPartialToolCall(PartialToolCall.builder().index(index).id(call.id()).name(call.name())
                    .partialArguments(fragment).build(), new PartialToolCallContext(this));
        }
        if (isCancelled()) {
            return false;
        }
        handler.onCompleteToolCall(new CompleteToolCall(index, call));
        return true;
    }

    /** Waits one word's delay; false if the stream is (or gets) cancelled. */
    private boolean pause() {
        try {
            return !cancelled.await(wordDelay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            return false;
        }
    }

    private ChatResponse response() {
        int outputTokens = reply.outputTokens();
        return ChatResponse.builder()
                .aiMessage(reply.aiMessage())
                .id(responseId)
                .modelName(DemoChatModel.MODEL_NAME)
                .tokenUsage(new TokenUsage(inputTokens, outputTokens, inputTokens + outputTokens))
                .finishReason(reply.finishReason())
                .build();
    }

    private void report(Throwable error) {
        try {
            handler.onError(error);
        } catch (RuntimeException e) {
            log.warn("The handler's onError threw; the demo stream ends anyway", e);
        }
    }
}
