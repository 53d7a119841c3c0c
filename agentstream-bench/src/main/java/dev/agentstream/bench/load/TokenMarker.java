package dev.agentstream.bench.load;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The marker every fake token's text is made of: {@code " ⟦s42 i7 t1765000000123456⟧"} names the
 * stream, the token's index in it and its emit time in epoch microseconds. Plain text, so every
 * wire format carries it through; a JSON encoder that escapes non-ASCII ({@code \u27e6}) is read
 * too.
 */
final class TokenMarker {

    private static final Pattern MARKER =
        Pattern.compile("(?:\u27e6|\\\\u27[eE]6)s(-?\\d+) i(\\d+) t(\\d+)(?:\u27e7|\\\\u27[eE]7)");

    /** Receives each marker found in a text. */
    interface Sink {
        void token(long streamId, int index, long emitMicros);
    }

    private TokenMarker() {
    }

    static String format(long streamId, int index, long emitMicros) {
        return " \u27e6s" + streamId + " i" + index + " t" + emitMicros + "\u27e7";
    }

    /** Calls {@code sink} for every marker in {@code text}, in order; returns how many there were. */
    static int scan(String text, Sink sink) {
        if (text.indexOf('s') < 0) {
            return 0;
        }
        Matcher m = MARKER.matcher(text);
        int found = 0;
        while (m.find()) {
            sink.token(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)));
            found++;
        }
        return found;
    }
}
