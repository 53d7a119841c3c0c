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

/**
 * Reads request bodies as JSON objects, bounded in size: a body over the limit is refused with 413
 * before it is parsed (by its {@code Content-Length}, or while reading a chunked one), a body that
 * is not JSON with 400, and duplicate keys with 400.
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
            throw ApiError.badRequest("invalid_json", "the body is not valid JSON: " + e.getOriginalMessage()
                + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || node.isMissingNode()) {
            throw ApiError.badRequest("invalid_json", "the body is empty (expected: a JSON object)");
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiError.badRequest("invalid_json", "the body is a JSON " + node.getNodeType().name().toLowerCase(
                java.util.Locale.ROOT) + " (expected: a JSON object)");
        }
        return object;
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
