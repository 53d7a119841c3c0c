package dev.agentstream.store;

/** Text as both databases can hold it. Stateless. */
final class SqlText {

    private SqlText() {
    }

    /**
     * PostgreSQL text cannot hold NUL (and SQLite's {@code length()} stops at one); so a NUL
     * becomes U+FFFD (one character for one, lengths stay). Event payloads are JSON and keep NUL
     * escaped, so replay is still exact.
     */
    static String clean(String text) {
        return text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }
}
