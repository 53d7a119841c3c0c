package dev.agentstream.server.wire.openai;

import dev.agentstream.server.http.ApiError;
import dev.agentstream.server.http.ErrorBody;
import dev.agentstream.server.http.JsonReplies;
import io.javalin.http.Context;

/**
 * Errors in OpenAI's shape, {@code {"error":{"message","type","code"}}}, with the statuses OpenAI
 * uses, so the SDKs raise their usual exceptions ({@code BadRequestError}, {@code
 * AuthenticationError}, {@code NotFoundError}, …). A bad value is 400, as OpenAI answers it, not
 * the native 422.
 */
final class OpenAiErrors implements ErrorBody {

    static final OpenAiErrors INSTANCE = new OpenAiErrors();

    private OpenAiErrors() {
    }

    @Override
    public void write(Context ctx, ApiError error) {
        int status = error.status() == 422 ? 400 : error.status();
        JsonReplies.json(ctx, status, new OpenAiViews.ErrorBody(new OpenAiViews.Error(error.getMessage(),
            typeFor(status), null, codeFor(error))));
    }

    /** OpenAI's {@code type} for a status. */
    static String typeFor(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    private static String codeFor(ApiError error) {
        return switch (error.code()) {
            case "unauthorized" -> "invalid_api_key";
            case "agent_not_found" -> "model_not_found";
            default -> error.code();
        };
    }
}
