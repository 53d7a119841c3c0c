package dev.agentstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.http.client.sse.DefaultServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The compact parser sees exactly the events LangChain4j's default parser sees, for the same bytes. */
class CompactServerSentEventParserTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "data: {\"a\":1}\n\ndata: {\"b\":2}\n\n",
        "event: message\ndata: one\ndata: two\n\n",
        "data:no-space\r\n\r\ndata:  two spaces\r\n\r\n",
        ": comment\n\ndata: after a comment\n\n",
        "data: last event without a blank line",
        "data: héllo ✓ ⟦s1 t2⟧ 日本語\n\n",
        "event: a\n\nevent: b\ndata: x\n\n",
        "data: [DONE]\n\n",
        "\n\n\ndata: leading blanks\n\n",
    })
    void parsesLikeLangChain4jsDefaultParser(String stream) {
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);

        List<String> expected = parse(new DefaultServerSentEventParser(), new ByteArrayInputStream(bytes));
        List<String> actual = parse(CompactServerSentEventParser.INSTANCE, new OneByteAtATime(bytes));

        assertThat(actual).isEqualTo(expected).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 255, 256, 257, 5000})
    void linesLongerThanItsBuffersArriveWhole(int length) {
        String payload = "x".repeat(length);

        List<String> events = parse(CompactServerSentEventParser.INSTANCE,
            new ByteArrayInputStream(("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8)));

        assertThat(events).containsExactly("null|" + payload);
    }

    private static List<String> parse(ServerSentEventParser parser, InputStream in) {
        List<String> events = new ArrayList<>();
        parser.parse(in, new ServerSentEventListener() {
            @Override
            public void onEvent(ServerSentEvent event) {
                events.add(event.event() + "|" + event.data());
            }

            @Override
            public void onError(Throwable error) {
                events.add("error " + error);
            }
        });
        return events;
    }

    /** Splits every multi-byte character across reads, as a network may. */
    private static final class OneByteAtATime extends FilterInputStream {
        OneByteAtATime(byte[] bytes) {
            super(new ByteArrayInputStream(bytes));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(1, len));
        }
    }
}
