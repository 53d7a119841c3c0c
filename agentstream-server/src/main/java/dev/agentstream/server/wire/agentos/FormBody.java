package dev.agentstream.server.wire.agentos;

import dev.agentstream.server.http.ApiError;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request's form fields, as AgentOS takes them: {@code multipart/form-data} (what Agent UI sends,
 * built by the browser from a {@code FormData}) or {@code application/x-www-form-urlencoded} (what
 * curl sends). A body over the size limit is 413, another content type 415, an unreadable form 400.
 * Files are not taken.
 */
final class FormBody {

    private final Map<String, List<String>> fields;

    private FormBody(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    static FormBody read(Context ctx, long maxBytes) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("multipart/form-data") && !type.startsWith("application/x-www-form-urlencoded")) {
            throw ApiError.of(415, "unsupported_media_type", "Content-Type: " + (type.isEmpty() ? "none" : type)
                + " (expected: multipart/form-data or application/x-www-form-urlencoded)");
        }
        if (ctx.req().getContentLengthLong() > maxBytes) {
            throw ApiError.of(413, "body_too_large", "the request body is over " + maxBytes + " bytes");
        }
        try {
            if (type.startsWith("multipart/") && !ctx.uploadedFiles().isEmpty()) {
                throw ApiError.invalid("files: not supported (expected: text fields only)");
            }
            return new FormBody(ctx.formParamMap());
        } catch (ApiError e) {
            throw e;
        } catch (Exception e) {
            // Jetty refuses a malformed or oversized form with an exception of its own, an IOException
            // (thrown unchecked through Javalin) for a multipart body without its boundary.
            throw ApiError.badRequest("invalid_form", "the form could not be read (expected: " + type.split(";")[0]
                + " with text fields)");
        }
    }

    /** The field's value; empty when absent. Several values: the first, as Agno's forms take it. */
    Optional<String> text(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** A boolean field ({@code true}/{@code false}, any case, as Python's forms read them), or the fallback. */
    boolean bool(String name, boolean fallback) {
        Optional<String> value = text(name).map(String::strip).filter(v -> !v.isEmpty());
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw ApiError.invalid(name + ": " + dev.agentstream.server.http.JsonFields.printable(value.get())
                + " (expected: true or false)");
        };
    }
}
