package dev.agentstream.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code POST /v1/chat/completions} the {@link ScriptedOpenAiServer} received, and how answering it ended.
 *
 * <p>Thread-safe: the request part is fixed when recorded; the outcome is set once, by the server thread that
 * answers the request, and can be read or awaited from any thread.
 */
public final class RecordedRequest {

    /** How answering a request ended. */
    public enum Outcome {
        /** The script ran to its end (this includes scripted HTTP errors and malformed chunks). */
        COMPLETED,
        /** The script's reset fault aborted the connection. */
        RESET,
        /** The client closed the connection before the script had finished (a stall never finishes). */
        CLIENT_CLOSED_EARLY,
        /** The server was closed before the script had finished. */
        SERVER_CLOSED,
        /** No script was queued, so the server answered HTTP 500. */
        NO_SCRIPT
    }

    private final int index;
    private final JsonNode body;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private volatile long outcomeNanos;
    private final long receivedNanos = System.nanoTime();

    RecordedRequest(int index, JsonNode body) {
        this.index = index;
        this.body = body.deepCopy();
    }

    /** When the request was received, by {@link System#nanoTime()}: to measure how long a client waited between two. */
    public long receivedNanos() {
        return receivedNanos;
    }

    /** Zero-based position of this request in the order the server received them. */
    public int index() {
        return index;
    }

    /** The parsed request body (a copy, so callers may not disturb the record). */
    public JsonNode body() {
        return body.deepCopy();
    }

    /** The {@code messages} array of the body, element by element. */
    public List<JsonNode> messages() {
        return elements("messages");
    }

    /** The {@code tools} array of the body, element by element; empty when the request offered no tools. */
    public List<JsonNode> tools() {
        return elements("tools");
    }

    /** Whether the request asked for a streamed answer ({@code "stream": true}). */
    public boolean streaming() {
        return body.path("stream").asBoolean(false);
    }

    /** How answering ended, or empty while the server is still answering. */
    public Optional<Outcome> outcome() {
        return Optional.ofNullable(outcome.getNow(null));
    }

    /** Waits up to {@code timeout} for the answer to end; empty if it is still going on. */
    public Optional<Outcome> awaitOutcome(Duration timeout) {
        try {
            return Optional.of(outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the outcome future never fails", e);
        }
    }

    /** Whether the server saw the client close the connection before the script had finished. */
    public boolean clientClosedEarly() {
        return outcome().orElse(null) == Outcome.CLIENT_CLOSED_EARLY;
    }

    /**
     * Waits up to {@code timeout} until the answer ends and returns whether it ended because the client closed
     * the connection early. Returns as soon as the answer ends for any reason.
     */
    public boolean awaitClientClosed(Duration timeout) {
        return awaitOutcome(timeout).orElse(null) == Outcome.CLIENT_CLOSED_EARLY;
    }

    /** {@link System#nanoTime()} at which the outcome was set; for tests measuring how fast a close is seen. */
    long outcomeNanos() {
        return outcomeNanos;
    }

    void finish(Outcome value) {
        long now = System.nanoTime();
        if (!outcome.isDone()) {
            outcomeNanos = now;
            outcome.complete(value);
        }
    }

    private List<JsonNode> elements(String field) {
        List<JsonNode> result = new ArrayList<>();
        body.path(field).forEach(node -> result.add(node.deepCopy()));
        return List.copyOf(result);
    }

    @Override
    public String toString() {
        return "RecordedRequest[#" + index + ", streaming=" + streaming() + ", outcome=" + outcome() + "]";
    }
}
