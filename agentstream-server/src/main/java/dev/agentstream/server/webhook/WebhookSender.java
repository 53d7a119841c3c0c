package dev.agentstream.server.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * One attempt to POST a delivery, on the JDK client: signed, with the delivery's id and a
 * timestamp. Thread-safe; blocks the calling (virtual) thread for at most the timeout.
 */
final class WebhookSender {

    static final String DELIVERY_HEADER = "X-Agentstream-Delivery";
    static final String TIMESTAMP_HEADER = "X-Agentstream-Timestamp";

    /** What an attempt came to: a 2xx, or why not (status or network error; never the signature). */
    record Outcome(boolean delivered, String error) {
    }

    private final HttpClient http;
    private final WebhookSignature signature;
    private final Duration timeout;

    WebhookSender(WebhookSignature signature, Duration timeout) {
        this.signature = signature;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    Outcome post(String url, String deliveryId, byte[] body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "agentstream-webhooks")
            .header(WebhookSignature.HEADER, signature.sign(body))
            .header(DELIVERY_HEADER, deliveryId)
            .header(TIMESTAMP_HEADER, String.valueOf(Instant.now().getEpochSecond()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status / 100 == 2 ? new Outcome(true, null) : new Outcome(false, "HTTP " + status);
        } catch (IOException e) {
            return new Outcome(false, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
