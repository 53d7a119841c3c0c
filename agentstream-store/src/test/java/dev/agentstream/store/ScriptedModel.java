package dev.agentstream.store;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A streaming model that plays scripted turns, one per model call, each on its own virtual thread,
 * and remembers every request's messages. It honours {@link StreamingHandle#cancel()}: a cancelled
 * turn sends nothing more and a turn waiting for {@link Stream#next} is woken. Thread-safe.
 */
final class ScriptedModel implements StreamingChatModel {

    /** What a gated turn emits when the test sends it: the turn then completes. */
    static final String END = "\u0000end";

    private final BlockingQueue<Turn> turns = new LinkedBlockingQueue<>();
    private final List<List<ChatMessage>> requests = new CopyOnWriteArrayList<>();

    /** Adds the turn played by the next model call. */
    ScriptedModel then(Turn turn) {
        turns.add(turn);
        return this;
    }

    /** The messages of every model call so far. */
    List<List<ChatMessage>> requests() {
        return requests;
    }

    @Override
    public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
        requests.add(List.copyOf(request.messages()));
        Turn turn = turns.poll();
        Stream stream = new Stream(handler);
        if (turn == null) {
            handler.onError(new IllegalStateException("no scripted turn left"));
            return;
        }
        stream.thread = Thread.ofVirtual().name("scripted-model").start(() -> {
            try {
                turn.play(stream);
            } catch (InterruptedException e) {
                // Cancelled while waiting: the run already moved on.
            } catch (Exception e) {
                handler.onError(e);
            }
        });
    }

    /** Answers with these chunks, then completes with 10 input and 5 output tokens. */
    static Turn answer(String... chunks) {
        return s -> {
            s.text(chunks);
            s.complete(10, 5);
        };
    }

    /** Calls one tool. */
    static Turn callTool(String id, String name, String argumentsJson) {
        return s -> s.callTools(ToolExecutionRequest.builder().id(id).name(name).arguments(argumentsJson).build());
    }

    /** Streams these chunks and then fails like a broken upstream. */
    static Turn failAfter(String message, String... chunks) {
        return s -> {
            s.text(chunks);
            s.fail(new IllegalStateException(message));
        };
    }

    /** Streams what the test puts into {@code chunks}, as it comes, until {@link #END}. */
    static Turn gated(BlockingQueue<String> chunks) {
        return s -> {
            for (String chunk = s.next(chunks); !END.equals(chunk); chunk = s.next(chunks)) {
                s.text(chunk);
            }
            s.complete(10, 5);
        };
    }

    /** One scripted model call. */
    @FunctionalInterface
    interface Turn {
        void play(Stream stream) throws Exception;
    }

    /** The handler side of one model call, and its streaming handle. */
    static final class Stream implements StreamingHandle {
        private final StreamingChatResponseHandler handler;
        private final StringBuilder text = new StringBuilder();
        private volatile boolean cancelled;
        private volatile Thread thread;

        Stream(StreamingChatResponseHandler handler) {
            this.handler = handler;
        }

        void text(String... chunks) {
            for (String chunk : chunks) {
                if (cancelled) {
                    return;
                }
                text.append(chunk);
                handler.onPartialResponse(new PartialResponse(chunk), new PartialResponseContext(this));
            }
        }

        /** Waits for the test's next chunk; a cancel ends the wait. */
        String next(BlockingQueue<String> chunks) throws InterruptedException {
            return chunks.take();
        }

        void complete(int inputTokens, int outputTokens) {
            if (!cancelled) {
                handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(text.toString()))
                    .tokenUsage(new TokenUsage(inputTokens, outputTokens)).build());
            }
        }

        void callTools(ToolExecutionRequest... requests) {
            if (!cancelled) {
                handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(List.of(requests)))
                    .tokenUsage(new TokenUsage(8, 4)).build());
            }
        }

        void fail(Throwable error) {
            if (!cancelled) {
                handler.onError(error);
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            Thread current = thread;
            if (current != null) {
                current.interrupt();
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
