package dev.agentstream.server.webhook;

import dev.agentstream.server.http.ApiError;
import dev.agentstream.server.http.JsonFields;
import java.net.URI;
import java.net.URISyntaxException;

/** Checks the {@code webhook} of a start: an absolute http(s) URL with a host. Stateless. */
public final class WebhookUrl {

    static final int MAX_LENGTH = 2048;

    private WebhookUrl() {
    }

    /**
     * The URL, checked.
     *
     * @throws ApiError 422 naming what is wrong
     */
    public static String check(String value) {
        if (value.length() > MAX_LENGTH) {
            throw invalid(value, "at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw invalid(value, "an absolute http or https URL");
        }
        String scheme = uri.getScheme();
        if (!uri.isAbsolute() || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
            || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid(value, "an absolute http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            // Credentials in the URL would end up in logs; the signature authenticates deliveries instead.
            throw ApiError.invalid("webhook: a URL with credentials (expected: none; verify the X-Agentstream-Signature"
                + " header instead)");
        }
        return value;
    }

    private static ApiError invalid(String value, String expected) {
        return ApiError.invalid("webhook: " + JsonFields.printable(value.length() > 200 ? value.substring(0, 200) + "…"
            : value) + " (expected: " + expected + ")");
    }
}
