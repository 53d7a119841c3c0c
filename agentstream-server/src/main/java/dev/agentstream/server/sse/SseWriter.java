package dev.agentstream.server.sse;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Writes Server-Sent Events frames to a response body, and owns the rules every frame follows:
 * every wire format's frames are made by {@link #encode} here.
 *
 * <p>Field rules (WHATWG HTML, "event stream interpretation"): a lone CR, a lone LF and CRLF all end
 * a line, so CR and LF are dropped from {@code id} and {@code event} (a value can never start a new
 * field) and {@code data} is split on each of them into several {@code data:} lines, which the
 * client joins back with LF. An {@code id} containing NUL is ignored by clients, so NUL is dropped
 * too.
 *
 * <p>Thread contract: the static encoders are thread-safe; an instance is not, and is owned by the
 * one virtual thread that serves the connection. Writes go to the underlying stream as they come;
 * {@link #flush()} pushes them to the client.
 */
public final class SseWriter {

    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMENT = ": ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_COMMENT = ":\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte LF = '\n';
    private static final byte CR = '\r';

    private final OutputStream out;

    public SseWriter(OutputStream out) {
        this.out = requireNonNull(out, "out");
    }

    /** Writes one frame, ending with the blank line that dispatches it. */
    public void frame(SseFrame frame) throws IOException {
        out.write(encode(frame));
    }

    /** Writes frames already encoded by {@link #encode}, e.g. shared by every reader of a run. */
    public void encoded(byte[] frames) throws IOException {
        out.write(frames);
    }

    /** Writes a comment line plus a blank line, e.g. {@code : ping}; clients ignore it. */
    public void comment(String text) throws IOException {
        out.write(COMMENT);
        out.write(fieldValue(text));
        out.write(LF);
        out.write(LF);
    }

    /**
     * Writes an empty comment line ({@code :}), the smallest thing a client ignores. The server
     * writes it while a run is silent to find out whether the client is still there.
     */
    public void probe() throws IOException {
        out.write(EMPTY_COMMENT);
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** The bytes of one frame, ending with the blank line that dispatches it. */
    public static byte[] encode(SseFrame frame) {
        return encode(frame.id(), frame.event(), frame.data().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The bytes of one frame whose data is given as UTF-8 (e.g. JSON straight from the mapper), in
     * one pass: a data line with no CR or LF in it, as JSON always is, is copied as it is.
     */
    public static byte[] encode(String id, String event, byte[] data) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(data.length + 48);
        writeFields(frame, id, event);
        writeData(frame, data);
        frame.write(LF);
        return frame.toByteArray();
    }

    /**
     * The bytes of one frame whose data {@code data} writes as UTF-8 straight into the frame (e.g.
     * compact JSON from a mapper): one buffer and one copy per frame. Data that turns out to hold a
     * line break is split into {@code data:} lines as {@link #encode(String, String, byte[])} does.
     */
    public static byte[] encode(String id, String event, Consumer<OutputStream> data) {
        FrameBuffer frame = new FrameBuffer();
        writeFields(frame, id, event);
        int header = frame.size();
        frame.writeBytes(DATA);
        int dataStart = frame.size();
        data.accept(frame);
        if (frame.hasLineBreakAfter(dataStart)) {
            byte[] raw = java.util.Arrays.copyOfRange(frame.bytes(), dataStart, frame.size());
            frame.truncate(header);
            writeData(frame, raw);
        } else {
            frame.write(LF);
        }
        frame.write(LF);
        return frame.toByteArray();
    }

    /** A frame being built, sized for a typical event. */
    private static final class FrameBuffer extends ByteArrayOutputStream {
        FrameBuffer() {
            super(256);
        }

        byte[] bytes() {
            return buf;
        }

        void truncate(int size) {
            count = size;
        }

        boolean hasLineBreakAfter(int from) {
            for (int i = from; i < count; i++) {
                if (buf[i] == LF || buf[i] == CR) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The {@code id:} and {@code event:} lines, each only when given. */
    private static void writeFields(ByteArrayOutputStream frame, String id, String event) {
        if (id != null) {
            frame.writeBytes(ID);
            frame.writeBytes(fieldValue(id));
            frame.write(LF);
        }
        if (event != null) {
            frame.writeBytes(EVENT);
            frame.writeBytes(fieldValue(event));
            frame.write(LF);
        }
    }

    private static void writeData(ByteArrayOutputStream frame, byte[] data) {
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            byte b = data[i];
            if (b == CR || b == LF) {
                dataLine(frame, data, start, i);
                if (b == CR && i + 1 < data.length && data[i + 1] == LF) {
                    i++;
                }
                start = i + 1;
            }
        }
        dataLine(frame, data, start, data.length);
    }

    private static void dataLine(ByteArrayOutputStream frame, byte[] data, int from, int to) {
        frame.writeBytes(DATA);
        frame.write(data, from, to - from);
        frame.write(LF);
    }

    private static byte[] fieldValue(String value) {
        StringBuilder clean = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean drop = c == '\r' || c == '\n' || c == '\0';
            if (drop && clean == null) {
                clean = new StringBuilder(value.length()).append(value, 0, i);
            } else if (!drop && clean != null) {
                clean.append(c);
            }
        }
        return (clean == null ? value : clean.toString()).getBytes(StandardCharsets.UTF_8);
    }
}
