package dev.agentstream.server.wire.aisdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.agentstream.event.EventJson;
import java.io.UncheckedIOException;

/**
 * Writes one UI message chunk as JSON ({@code {"type":"text-delta","id":"t7","delta":"…"}}) into a
 * buffer the encoder reuses, so a token costs its string and nothing more. Field names are the AI
 * SDK's camelCase ones, written here as given.
 *
 * <p>Thread contract: not thread-safe; one per encoder.
 */
final class ChunkJson {

    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    private final StringBuilder out = new StringBuilder(128);

    /** Starts a chunk of {@code type}. */
    ChunkJson begin(String type) {
        out.setLength(0);
        out.append("{\"type\":\"").append(type).append('"');
        return this;
    }

    /** A string field; left out when {@code value} is null. */
    ChunkJson string(String name, String value) {
        if (value != null) {
            name(name).append('"');
            QUOTE.quoteAsString(value, out);
            out.append('"');
        }
        return this;
    }

    /** A string field that is always there, {@code null} when there is no value (the SDK requires the key). */
    ChunkJson stringOrNull(String name, String value) {
        if (value == null) {
            name(name).append("null");
            return this;
        }
        return string(name, value);
    }

    ChunkJson bool(String name, boolean value) {
        name(name).append(value);
        return this;
    }

    /** Any value as JSON through Jackson ({@code null} when null): tool inputs, message metadata. */
    ChunkJson value(String name, Object value) {
        name(name).append(text(value));
        return this;
    }

    /** {@code value} as JSON text. */
    static String text(Object value) {
        try {
            return EventJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chunk's JSON text. */
    String end() {
        return out.append('}').toString();
    }

    private StringBuilder name(String name) {
        return out.append(",\"").append(name).append("\":");
    }
}
