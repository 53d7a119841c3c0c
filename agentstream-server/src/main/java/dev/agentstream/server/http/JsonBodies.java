package dev.agentstream.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Reads request bodies as JSON objects, bounded in size: a body over the limit is refused with 413
 * before it is parsed (by its {@code Content-Length}, or while reading a chunked one), a body
 * declared as another type with 415, a body that is not JSON with 400, and duplicate keys with 400.
 *
 * <p>Thread contract: thread-safe; called on request threads.
 */
public final class JsonBodies {

    private static final ObjectMapper STRICT = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    private final long maxBytes;

    public JsonBodies(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The largest body accepted, in bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    /** The body as a JSON object; an empty body is an empty object if {@code emptyAllowed}. */
    public ObjectNode readObject(HttpServletRequest request, boolean emptyAllowed) {
        requireJsonType(request.getContentType());
        byte[] body = read(request);
        if (body.length == 0 && emptyAllowed) {
            return STRICT.createObjectNode();
        }
        JsonNode node;
        try (JsonParser parser = STRICT.createParser(body)) {
            node = STRICT.readTree(parser);
            if (parser.nextToken() != null) {
                throw ApiError.badRequest("invalid_json", "the body has content after its JSON value");
            }
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("invalid_json", "the body is not valid JSON: " + e.getOriginalMessage() + where(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || node.isMissingNode()) {
            throw ApiError.badRequest("invalid_json", "the body is empty (expected: a JSON object)");
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiError.badRequest("invalid_json", "the body is a JSON " + node.getNodeType().name().toLowerCase(
                Locale.ROOT) + " (expected: a JSON object)");
        }
        return object;
    }

    /** Where the parser stopped; some refusals (nesting too deep, a number too long) have no location. */
    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? ""
            : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    /**
     * A body declared as something else than JSON is 415: it was not meant for this route, and the
     * types a cross-site page may post without a CORS preflight (text/plain, forms) cannot start runs.
     * No {@code Content-Type} at all is read as JSON.
     */
    private static void requireJsonType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
            throw ApiError.of(415, "unsupported_media_type", "Content-Type: " + JsonFields.printable(contentType)
                + " (expected: application/json)");
        }
    }

    private byte[] read(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge();
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw ApiError.badRequest("unreadable_body", "the request body could not be read");
        }
    }

    private ApiError tooLarge() {
        return ApiError.of(413, "body_too_large", "the request body is over " + maxBytes + " bytes");
    }
}
