package dev.agentstream.http;

import static dev.langchain4j.http.client.sse.ServerSentEventListenerUtils.ignoringExceptions;

import dev.langchain4j.http.client.sse.DefaultServerSentEventParsingHandle;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEventParsingHandle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * LangChain4j's default SSE parsing (the same {@code event:}/{@code data:} rules, the same handle,
 * the same callbacks), reading bytes with a small buffer instead of a {@code BufferedReader} over an
 * {@code InputStreamReader}: those hold 24 KB per open stream (an 8 KB byte buffer and an
 * 8,192-char buffer), which at a thousand concurrent model streams is 24 MB of buffers that are
 * nearly always empty, and decode every byte through a charset decoder before the lines are cut.
 * Here a line is cut from the bytes and decoded once.
 *
 * <p>Thread contract: stateless; {@link #parse} runs on the calling thread until the stream ends.
 */
final class CompactServerSentEventParser implements ServerSentEventParser {

    static final CompactServerSentEventParser INSTANCE = new CompactServerSentEventParser();

    private static final int READ_BUFFER = 1024;

    @Override
    public void parse(InputStream in, ServerSentEventListener listener) {
        ServerSentEventParsingHandle handle = new DefaultServerSentEventParsingHandle(in);
        Events events = new Events(listener, new ServerSentEventContext(handle));
        byte[] buffer = new byte[READ_BUFFER];
        byte[] line = new byte[256];
        int lineLength = 0;
        try (in) {
            int read;
            while (!handle.isCancelled() && (read = in.read(buffer)) != -1) {
                for (int i = 0; i < read && !handle.isCancelled(); i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        events.line(line, lineLength);
                        lineLength = 0;
                    } else {
                        if (lineLength == line.length) {
                            line = Arrays.copyOf(line, line.length * 2);
                        }
                        line[lineLength++] = b;
                    }
                }
            }
            if (!handle.isCancelled()) {
                // The stream may end without a last line break or blank line, as readLine allows.
                events.line(line, lineLength);
                events.line(line, 0);
            }
        } catch (IOException e) {
            ignoringExceptions(() -> listener.onError(e));
        }
    }

    /** Turns lines into events: {@code event:} names the next one, {@code data:} lines join, a blank line sends it. */
    private static final class Events {
        private final ServerSentEventListener listener;
        private final ServerSentEventContext context;
        private final StringBuilder data = new StringBuilder();
        private String event;

        Events(ServerSentEventListener listener, ServerSentEventContext context) {
            this.listener = listener;
            this.context = context;
        }

        void line(byte[] line, int length) {
            int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
            if (end == 0) {
                if (!data.isEmpty()) {
                    ServerSentEvent complete = new ServerSentEvent(event, data.toString());
                    ignoringExceptions(() -> listener.onEvent(complete, context));
                    event = null;
                    data.setLength(0);
                }
            } else if (startsWith(line, end, EVENT)) {
                event = new String(line, EVENT.length, end - EVENT.length, StandardCharsets.UTF_8).trim();
            } else if (startsWith(line, end, DATA)) {
                int from = DATA.length < end && line[DATA.length] == ' ' ? DATA.length + 1 : DATA.length;
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(new String(line, from, end - from, StandardCharsets.UTF_8));
            }
        }
    }

    private static final byte[] EVENT = "event:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    private static boolean startsWith(byte[] line, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
