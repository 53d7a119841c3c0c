package dev.agentstream.server.sse;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes Server-Sent Events frames to a response body. The one frame writer of the server: every
 * wire format hands it {@link SseFrame}s.
 *
 * <p>Field rules (WHATWG HTML, "event stream interpretation"): a lone CR, a lone LF and CRLF all end
 * a line, so CR and LF are dropped from {@code id} and {@code event} (a value can never start a new
 * field) and {@code data} is split on each of them into several {@code data:} lines, which the
 * client joins back with LF. An {@code id} containing NUL is ignored by clients, so NUL is dropped
 * too.
 *
 * <p>Thread contract: not thread-safe; owned by the one virtual thread that serves the connection.
 * Writes go to the underlying stream as they come; {@link #flush()} pushes them to the client.
 */
public final class SseWriter {

    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMENT = ": ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_COMMENT = ":\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte LF = '\n';

    private final OutputStream out;

    public SseWriter(OutputStream out) {
        this.out = requireNonNull(out, "out");
    }

    /** Writes one frame, ending with the blank line that dispatches it. */
    public void frame(SseFrame frame) throws IOException {
        if (frame.id() != null) {
            out.write(ID);
            out.write(fieldValue(frame.id()));
            out.write(LF);
        }
        if (frame.event() != null) {
            out.write(EVENT);
            out.write(fieldValue(frame.event()));
            out.write(LF);
        }
        writeData(frame.data());
        out.write(LF);
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
     * writes it while a run is silent to find out, within a second, whether the client is still there.
     */
    public void probe() throws IOException {
        out.write(EMPTY_COMMENT);
    }

    public void flush() throws IOException {
        out.flush();
    }

    private void writeData(String data) throws IOException {
        int start = 0;
        int length = data.length();
        for (int i = 0; i < length; i++) {
            char c = data.charAt(i);
            if (c == '\r' || c == '\n') {
                dataLine(data.substring(start, i));
                if (c == '\r' && i + 1 < length && data.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        dataLine(data.substring(start));
    }

    private void dataLine(String line) throws IOException {
        out.write(DATA);
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write(LF);
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
