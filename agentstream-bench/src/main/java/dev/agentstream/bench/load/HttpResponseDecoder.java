package dev.agentstream.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Turns the bytes of one HTTP/1.1 response, as they arrive, into body bytes: reads the status line
 * and headers, then de-chunks a chunked body or passes a plain one through. Push-style, so the
 * caller keeps the socket and the read timestamps.
 */
final class HttpResponseDecoder {

    /** Receives body bytes in order. */
    interface BodySink {
        void body(byte[] bytes, int offset, int length);
    }

    private enum State { HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, PLAIN, DONE }

    private static final int MAX_HEAD = 64 * 1024;

    private final BodySink sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private State state = State.HEAD;
    private int status = -1;
    private boolean chunked;
    private long chunkLeft;
    private boolean headEnded;

    HttpResponseDecoder(BodySink sink) {
        this.sink = sink;
    }

    int status() {
        return status;
    }

    /** True once the response head has been read. */
    boolean headEnded() {
        return headEnded;
    }

    /** True once a chunked body's last chunk arrived (a plain body ends with the connection). */
    boolean done() {
        return state == State.DONE;
    }

    void feed(byte[] bytes, int offset, int length) throws IOException {
        int i = offset;
        int end = offset + length;
        while (i < end && state != State.DONE) {
            switch (state) {
                case CHUNK_DATA -> {
                    int n = (int) Math.min(chunkLeft, end - i);
                    sink.body(bytes, i, n);
                    i += n;
                    chunkLeft -= n;
                    if (chunkLeft == 0) {
                        state = State.CHUNK_END;
                    }
                }
                case PLAIN -> {
                    sink.body(bytes, i, end - i);
                    i = end;
                }
                default -> {
                    byte b = bytes[i++];
                    if (b == '\n') {
                        onLine(lineText());
                    } else if (b != '\r') {
                        if (line.size() > MAX_HEAD) {
                            throw new IOException("response line over " + MAX_HEAD + " bytes");
                        }
                        line.write(b);
                    }
                }
            }
        }
    }

    private String lineText() {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        line.reset();
        return text;
    }

    private void onLine(String text) throws IOException {
        switch (state) {
            case HEAD -> {
                if (status < 0) {
                    String[] parts = text.split(" ");
                    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                        throw new IOException("not an HTTP response: " + text);
                    }
                    status = Integer.parseInt(parts[1]);
                } else if (text.isEmpty()) {
                    headEnded = true;
                    state = chunked ? State.CHUNK_SIZE : State.PLAIN;
                } else {
                    String lower = text.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        chunked = true;
                    }
                }
            }
            case CHUNK_SIZE -> {
                int semicolon = text.indexOf(';');
                chunkLeft = Long.parseLong((semicolon < 0 ? text : text.substring(0, semicolon)).trim(), 16);
                state = chunkLeft == 0 ? State.TRAILER : State.CHUNK_DATA;
            }
            case CHUNK_END -> state = State.CHUNK_SIZE;
            case TRAILER -> {
                if (text.isEmpty()) {
                    state = State.DONE;
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }
}
