package dev.agentstream.store;

/**
 * Text that streams in (an answer, its reasoning) and how much of it is committed. Not
 * thread-safe: its {@link LiveRun}'s lock guards it.
 */
final class StreamedText {

    private final StringBuilder text;
    private int ackedChars;
    private long ackedCodePoints;

    StreamedText(String stored) {
        this.text = new StringBuilder(stored);
        this.ackedChars = stored.length();
        this.ackedCodePoints = stored.codePointCount(0, stored.length());
    }

    /** Characters (UTF-16 units) committed so far. */
    int ackedChars() {
        return ackedChars;
    }

    /** Characters committed so far as the databases count them: code points. */
    long ackedCodePoints() {
        return ackedCodePoints;
    }

    void append(String piece) {
        text.append(piece);
    }

    int length() {
        return text.length();
    }

    boolean hasDelta() {
        return safeEnd() > ackedChars;
    }

    /** The end of what may be written now: never between the two halves of a surrogate pair. */
    int safeEnd() {
        int end = text.length();
        return end > ackedChars && Character.isHighSurrogate(text.charAt(end - 1)) ? end - 1 : end;
    }

    String upTo(int end) {
        return text.substring(0, end);
    }

    String between(int end) {
        return text.substring(ackedChars, end);
    }

    String all() {
        return text.toString();
    }

    /** The first {@code chars} characters are committed. */
    void acknowledge(int chars) {
        if (chars > ackedChars) {
            ackedCodePoints += text.codePointCount(ackedChars, chars);
            ackedChars = chars;
        }
    }
}
