package dev.agentstream.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.agentstream.testkit.RecordedRequest.Outcome;
import dev.agentstream.testkit.Script.Fault;
import dev.agentstream.testkit.ShutdownSignal.ServerClosingException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Plays one {@link Script} as the answer to one exchange, streamed or not, and reports how it ended.
 * Runs on the exchange's own thread.
 */
final class ScriptPlayer {

    /**
     * Thrown out of the HTTP handler to make the JDK server drop the TCP connection without finishing the
     * chunked body: it closes the connection of any exchange whose handler throws before the response is
     * complete, which is exactly what a reset looks like to the client.
     */
    static final class AbortConnection extends RuntimeException {
        AbortConnection() {
            super("scripted connection reset", null, false, false);
        }
    }

    /**
     * How long a reset waits after the last chunk at least. Dropped right after a write, the JDK HttpClient
     * reports the broken stream before handing over chunks it has already received, so they would be lost.
     */
    static final Duration RESET_GRACE = Duration.ofMillis(100);

    private final HttpExchange exchange;
    private final Script script;
    private final CompletionJson json;
    private final ShutdownSignal shutdown;

    ScriptPlayer(HttpExchange exchange, Script script, CompletionJson json, ShutdownSignal shutdown) {
        this.exchange = exchange;
        this.script = script;
        this.json = json;
        this.shutdown = shutdown;
    }

    /** Plays the script; returns how it ended, or throws {@link AbortConnection} for a scripted reset. */
    Outcome play(boolean streaming) throws IOException {
        try {
            Optional<Fault> fault = script.fault();
            if (fault.isPresent() && fault.get() instanceof Fault.HttpError error) {
                sendError(error);
                return Outcome.COMPLETED;
            }
            if (fault.isPresent() && fault.get() instanceof Fault.StallBeforeResponse) {
                shutdown.sleepUntilTriggered();
            }
            return streaming ? stream() : answerWhole();
        } catch (ServerClosingException e) {
            return Outcome.SERVER_CLOSED;
        }
    }

    private Outcome stream() throws ServerClosingException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        try {
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            SseStream sse = new SseStream(body, shutdown);
            sse.pause(script.initialDelayValue());
            sse.data(json.roleChunk().toString());

            List<ObjectNode> chunks = json.contentChunks(script);
            OptionalInt faultAt = faultPosition(chunks.size());
            for (int sent = 0; sent <= chunks.size(); sent++) {
                if (faultAt.isPresent() && faultAt.getAsInt() == sent) {
                    return strike(sse, body, sent);
                }
                if (sent == chunks.size()) {
                    break;
                }
                if (sent > 0) {
                    sse.pause(script.chunkDelayValue());
                }
                sse.data(chunks.get(sent).toString());
            }
            sse.data(json.finishChunk(script.finishReason()).toString());
            if (script.usageReport().isPresent()) {
                sse.data(json.usageChunk(script.usageReport().get()).toString());
            }
            sse.data("[DONE]");
            body.close();
            return Outcome.COMPLETED;
        } catch (IOException clientGone) {
            return Outcome.CLIENT_CLOSED_EARLY;
        }
    }

    /** Where the scripted fault strikes: after this many chunks, clamped to the number of chunks there are. */
    private OptionalInt faultPosition(int chunkCount) {
        return script.fault().map(fault -> switch (fault) {
            case Fault.ResetAfter reset -> OptionalInt.of(Math.min(reset.chunks(), chunkCount));
            case Fault.MalformedAfter malformed -> OptionalInt.of(Math.min(malformed.chunks(), chunkCount));
            case Fault.StallAfter stall -> OptionalInt.of(Math.min(stall.chunks(), chunkCount));
            case Fault.HttpError ignored -> OptionalInt.empty();
            case Fault.StallBeforeResponse ignored -> OptionalInt.empty();
        }).orElse(OptionalInt.empty());
    }

    /** Plays the mid-stream fault, which takes the place of the next chunk (so it comes after the chunk delay). */
    private Outcome strike(SseStream sse, OutputStream body, int sent) throws IOException, ServerClosingException {
        Fault fault = script.fault().orElseThrow();
        Duration chunkDelay = sent > 0 ? script.chunkDelayValue() : Duration.ZERO;
        switch (fault) {
            case Fault.ResetAfter ignored -> {
                sse.pause(RESET_GRACE.compareTo(chunkDelay) > 0 ? RESET_GRACE : chunkDelay);
                throw new AbortConnection();
            }
            case Fault.MalformedAfter ignored -> {
                sse.pause(chunkDelay);
                sse.data(json.malformedChunk());
                body.close();
                return Outcome.COMPLETED;
            }
            case Fault.StallAfter ignored -> {
                sse.stall();
                throw new IllegalStateException("a stall only ends by an exception");
            }
            default -> throw new IllegalStateException("not a mid-stream fault: " + fault);
        }
    }

    private Outcome answerWhole() throws IOException, ServerClosingException {
        // A non-streamed answer cannot be probed before it is sent, so waits here only end early on close.
        shutdown.sleep(script.initialDelayValue());
        Optional<Fault> fault = script.fault();
        if (fault.isPresent() && fault.get() instanceof Fault.ResetAfter) {
            throw new AbortConnection();
        }
        if (fault.isPresent() && fault.get() instanceof Fault.StallAfter) {
            shutdown.sleepUntilTriggered();
        }
        String body = fault.isPresent() && fault.get() instanceof Fault.MalformedAfter
                ? json.malformedChunk()
                : json.completion(script).toString();
        sendJson(200, body, Map.of());
        return Outcome.COMPLETED;
    }

    private void sendError(Fault.HttpError error) throws IOException {
        sendJson(error.status(), error.body(), error.headers());
    }

    private void sendJson(int status, String body, Map<String, String> headers) throws IOException {
        sendJson(exchange, status, body, headers);
    }

    static void sendJson(HttpExchange exchange, int status, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
