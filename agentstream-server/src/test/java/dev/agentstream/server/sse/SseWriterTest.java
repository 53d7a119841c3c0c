package dev.agentstream.server.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseWriterTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final SseWriter writer = new SseWriter(out);

    private String written() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void frameHasIdEventAndDataThenABlankLine() throws IOException {
        writer.frame(new SseFrame("7", "RunContent", "{\"content\":\"hi\"}"));

        assertThat(written()).isEqualTo("id: 7\nevent: RunContent\ndata: {\"content\":\"hi\"}\n\n");
    }

    @Test
    void frameWithoutIdOrEventHasOnlyData() throws IOException {
        writer.frame(new SseFrame(null, null, "x"));

        assertThat(written()).isEqualTo("data: x\n\n");
    }

    @Test
    void lineBreaksInIdAndEventDoNotStartNewFields() throws IOException {
        writer.frame(new SseFrame("1\r\ndata: injected", "Run\rContent\nevent: evil", "ok"));

        assertThat(written()).isEqualTo("id: 1data: injected\nevent: RunContentevent: evil\ndata: ok\n\n");
    }

    @Test
    void nulInIdIsDropped() throws IOException {
        writer.frame(new SseFrame("4\0 2", "E", "d"));

        assertThat(written()).startsWith("id: 4 2\n");
    }

    @Test
    void dataIsSplitOnCrLfAndCrlfIntoSeveralDataLines() throws IOException {
        writer.frame(new SseFrame(null, null, "a\nb\rc\r\nd"));

        assertThat(written()).isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
    }

    @Test
    void trailingLineBreakInDataGivesAnEmptyDataLine() throws IOException {
        writer.frame(new SseFrame(null, null, "a\n"));

        assertThat(written()).isEqualTo("data: a\ndata: \n\n");
    }

    @Test
    void dataKeepsUnicodeAsUtf8() throws IOException {
        writer.frame(new SseFrame(null, null, "héllo ✓"));

        assertThat(out.toByteArray()).isEqualTo("data: héllo ✓\n\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void commentIsAColonLineThenABlankLine() throws IOException {
        writer.comment("ping");

        assertThat(written()).isEqualTo(": ping\n\n");
    }

    @Test
    void commentCannotSmuggleAField() throws IOException {
        writer.comment("x\ndata: evil");

        assertThat(written()).isEqualTo(": xdata: evil\n\n");
    }

    @Test
    void probeIsAnEmptyCommentLine() throws IOException {
        writer.probe();

        assertThat(written()).isEqualTo(":\n");
    }

    @Test
    void dataWrittenStraightIntoTheFrameIsOneDataLine() {
        byte[] frame = SseWriter.encode("3", "RunContent", writes("{\"content\":\"h\\u00e9\"}"));

        assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("id: 3\nevent: RunContent\ndata: {\"content\":\"h\\u00e9\"}\n\n");
    }

    @Test
    void dataWrittenStraightIntoTheFrameIsStillSplitOnLineBreaks() {
        byte[] frame = SseWriter.encode(null, "E", writes("a\r\nb\rc"));

        assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("event: E\ndata: a\ndata: b\ndata: c\n\n");
    }

    private static java.util.function.Consumer<java.io.OutputStream> writes(String text) {
        return out -> {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }
}
