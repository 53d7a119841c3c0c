package dev.agentstream.server;

/** Hides secrets in values that are logged or shown in messages. */
final class Secrets {

    private Secrets() {
    }

    /** The JDBC (or any) URL with any password (a {@code password=} parameter or {@code user:pass@}) replaced by {@code ***}. */
    static String maskJdbcUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("(//[^/:@]*:)[^@/]*@", "$1***@");
    }
}
