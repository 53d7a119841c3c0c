package dev.agentstream.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an SSE response byte by byte, as a browser's EventSource would: lines end with LF, fields
 * are {@code id}, {@code event} and {@code data}, a blank line dispatches a frame, lines starting
 * with {@code :} are comments. Keeps the raw text read so far. Not thread-safe.
 */
public final class SseStream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One dispatched frame. */
    public record Frame(String id, String event, String data) {
        public JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public long seq() {
            return Long.parseLong(id);
        }
    }

    private final HttpResponse<InputStream> response;
    private final InputStream in;
    private final StringBuilder raw = new StringBuilder();
    private int comments;
    private boolean eof;

    public SseStream(HttpResponse<InputStream> response) {
        this.response = response;
        this.in = response.body();
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** The next frame, or null at the end of the response. */
    public Frame next() {
        String id = null;
        String event = null;
        StringBuilder data = null;
        while (true) {
            String line = readLine();
            if (line == null) {
                return null;
            }
            if (line.isEmpty()) {
                if (data != null) {
                    return new Frame(id, event, data.toString());
                }
                continue;
            }
            if (line.startsWith(":")) {
                comments++;
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> {
                }
            }
        }
    }

    /** Frames up to and including the first named {@code event}. */
    public List<Frame> until(String event) {
        List<Frame> frames = new ArrayList<>();
        Frame frame;
        while ((frame = next()) != null) {
            frames.add(frame);
            if (event.equals(frame.event())) {
                return frames;
            }
        }
        throw new AssertionError("the stream ended before " + event + "; got " + names(frames));
    }

    /** Every frame up to the end of the response. */
    public List<Frame> rest() {
        List<Frame> frames = new ArrayList<>();
        Frame frame;
        while ((frame = next()) != null) {
            frames.add(frame);
        }
        return frames;
    }

    /** The next raw line (a field, a comment or a blank line); fails at the end of the response. */
    public String nextLine() {
        String line = readLine();
        if (line == null) {
            throw new AssertionError("the stream ended");
        }
        return line;
    }

    /** True once the server ended the response. */
    public boolean ended() {
        return eof;
    }

    public int comments() {
        return comments;
    }

    /** Everything read so far, as text. */
    public String raw() {
        return raw.toString();
    }

    public static List<String> names(List<Frame> frames) {
        return frames.stream().map(Frame::event).toList();
    }

    /** Collapses repeats of one name into "Name*", so shapes with any number of chunks compare exactly. */
    public static List<String> shape(List<Frame> frames) {
        List<String> out = new ArrayList<>();
        for (Frame frame : frames) {
            String last = out.isEmpty() ? null : out.getLast();
            if (frame.event().equals(last) || (frame.event() + "*").equals(last)) {
                out.set(out.size() - 1, frame.event() + "*");
            } else {
                out.add(frame.event());
            }
        }
        return out;
    }

    private String readLine() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    eof = true;
                    return null;
                }
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.UTF_8);
                    raw.append(text).append('\n');
                    return text;
                }
                line.write(b);
            }
        } catch (IOException e) {
            eof = true;
            return null;
        }
    }

    /** Drops the connection, as a closed browser tab does. */
    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // Already gone.
        }
    }
}
