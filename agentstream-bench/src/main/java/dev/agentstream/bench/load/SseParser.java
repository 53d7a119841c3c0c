package dev.agentstream.bench.load;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits an event-stream body into frames ({@code event:} name and joined {@code data:} lines),
 * as the WHATWG rules say: a blank line dispatches, comments and {@code id:} are skipped.
 */
final class SseParser implements HttpResponseDecoder.BodySink {

    /** Receives each dispatched frame; {@code event} is null for unnamed frames. */
    interface FrameSink {
        void frame(String event, String data);
    }

    private final FrameSink sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    private final StringBuilder data = new StringBuilder();
    private String event;
    private boolean hasData;

    SseParser(FrameSink sink) {
        this.sink = sink;
    }

    @Override
    public void body(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                onLine();
            } else if (b != '\r') {
                line.write(b);
            }
        }
    }

    private void onLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.isEmpty()) {
            if (hasData) {
                sink.frame(event, data.toString());
            }
            event = null;
            data.setLength(0);
            hasData = false;
        } else if (text.startsWith("data:")) {
            if (hasData) {
                data.append('\n');
            }
            data.append(text, text.startsWith("data: ") ? 6 : 5, text.length());
            hasData = true;
        } else if (text.startsWith("event:")) {
            event = text.substring(text.startsWith("event: ") ? 7 : 6);
        }
    }
}
