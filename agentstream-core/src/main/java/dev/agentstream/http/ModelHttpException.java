package dev.agentstream.http;

import dev.langchain4j.exception.HttpException;
import java.util.Optional;

/**
 * The model's server answered with an error status. LangChain4j's own {@link HttpException} with the
 * one header a caller needs to retry politely: {@code Retry-After}, as sent (seconds or an HTTP date).
 * LangChain4j's exception mapper keeps it as the cause of the exception it hands the model's handler.
 */
public final class ModelHttpException extends HttpException {

    private final String retryAfter;

    ModelHttpException(int statusCode, String body, String retryAfter) {
        super(statusCode, body);
        this.retryAfter = retryAfter;
    }

    /** The {@code Retry-After} header as the server sent it, if it sent one. */
    public Optional<String> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
