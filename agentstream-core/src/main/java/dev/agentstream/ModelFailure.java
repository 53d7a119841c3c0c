package dev.agentstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentstream.event.EventJson;
import dev.agentstream.http.ModelConnectException;
import dev.agentstream.http.ModelHttpException;
import dev.agentstream.run.FaultKind;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a failed model call was, read from the exception LangChain4j handed the model's handler
 * (which wraps what the HTTP client threw): its kind, its HTTP status, and a message a user can act
 * on instead of an exception class name.
 *
 * <p>Thread contract: stateless.
 */
final class ModelFailure {

    /** Enough of an error body to say what the server meant; a whole HTML error page would not help. */
    private static final int MAX_DETAIL = 300;
    private static final int MAX_REASON = 80;
    /** What servers quote back of a key when they refuse it: {@code sk-…} keys and bearer tokens. */
    private static final Pattern CREDENTIAL = Pattern.compile("\\b((?:sk|pk|rk)-|Bearer\\s+)[A-Za-z0-9._~+/=-]{4,}");

    private ModelFailure() {
    }

    static OptionalInt status(Throwable error) {
        return find(error, HttpException.class).map(e -> OptionalInt.of(e.statusCode())).orElse(OptionalInt.empty());
    }

    static Optional<String> retryAfter(Throwable error) {
        return find(error, ModelHttpException.class).flatMap(ModelHttpException::retryAfter);
    }

    static FaultKind kind(Throwable error) {
        if (find(error, AgentRun.ModelStalledException.class).isPresent()) {
            return FaultKind.UPSTREAM_STALLED;
        }
        if (find(error, HttpException.class).isPresent()) {
            return FaultKind.UPSTREAM_STATUS;
        }
        if (find(error, ModelConnectException.class).isPresent() || connectReason(error).isPresent()) {
            return FaultKind.UPSTREAM_CONNECT;
        }
        if (find(error, com.fasterxml.jackson.core.JacksonException.class).isPresent()) {
            return FaultKind.UPSTREAM_MALFORMED;
        }
        if (find(error, IOException.class).isPresent()) {
            return FaultKind.UPSTREAM_BROKEN;
        }
        return FaultKind.OTHER;
    }

    /** The error to end the run with, its message in words: the status and what the server said, say. */
    static Throwable readable(Throwable error, int attempts) {
        return switch (kind(error)) {
            case UPSTREAM_STATUS -> {
                HttpException http = find(error, HttpException.class).orElseThrow();
                yield new ModelStatusException("the model answered HTTP " + http.statusCode()
                    + (attempts > 1 ? " (" + attempts + " attempts)" : "") + ": " + detail(http.getMessage()));
            }
            case UPSTREAM_CONNECT -> find(error, ModelConnectException.class).<Throwable>map(e -> e).orElseGet(() ->
                new ModelStreamException("could not connect to the model: " + connectReason(error).orElseThrow(), error));
            case UPSTREAM_MALFORMED -> new ModelStreamException("the model sent a malformed chunk: "
                + truncate(find(error, com.fasterxml.jackson.core.JacksonException.class).orElseThrow().getOriginalMessage()),
                error);
            case UPSTREAM_BROKEN -> new ModelStreamException("the model's stream broke off before the answer ended"
                + briefly(RunEmitter.describe(find(error, IOException.class).orElseThrow())), error);
            default -> error;
        };
    }

    /** Why no connection could be made, from the JDK's exceptions (for clients other than ours). */
    private static Optional<String> connectReason(Throwable error) {
        if (find(error, UnknownHostException.class).isPresent() || find(error, UnresolvedAddressException.class).isPresent()
            || find(error, UnresolvedModelServerException.class).isPresent()) {
            return Optional.of("unknown host");
        }
        if (find(error, NoRouteToHostException.class).isPresent()) {
            return Optional.of("no route to host");
        }
        return find(error, ConnectException.class).map(e -> "connection refused");
    }

    /**
     * A low-level reason in brackets when it is short ("connection reset"); HTTP clients also put dumps of
     * their connection state in messages, which tell a user nothing.
     */
    private static String briefly(String reason) {
        return reason.length() <= MAX_REASON && !reason.contains("@") ? " (" + reason + ")" : "";
    }

    /**
     * An OpenAI-style error body's {@code error.message}, else the body's start; with any API key or
     * bearer token it quotes masked, since the text goes to the user, the store and the log.
     */
    private static String detail(String body) {
        if (body == null || body.isBlank()) {
            return "no details";
        }
        String text = body.strip();
        try {
            JsonNode message = EventJson.mapper().readTree(body).path("error").path("message");
            if (message.isTextual() && !message.asText().isBlank()) {
                text = message.asText();
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON: the text as it is.
        }
        return truncate(CREDENTIAL.matcher(text).replaceAll("$1***"));
    }

    private static String truncate(String text) {
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "…";
    }

    /** The first exception of {@code type} among {@code error}, its causes and their suppressed ones. */
    private static <T extends Throwable> Optional<T> find(Throwable error, Class<T> type) {
        Deque<Throwable> todo = new ArrayDeque<>(List.of(error));
        Set<Throwable> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            todo.addAll(new ArrayList<>(List.of(t.getSuppressed())));
        }
        return Optional.empty();
    }

    /** The model's server answered an error status; the run's error names it. */
    static final class ModelStatusException extends RuntimeException {
        ModelStatusException(String message) {
            super(message);
        }
    }

    /** The model's stream could not be opened, broke off, or was not its protocol. */
    static final class ModelStreamException extends RuntimeException {
        ModelStreamException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
