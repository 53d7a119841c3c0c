package dev.agentstream.server.sse;

import static java.util.Objects.requireNonNull;

/**
 * One Server-Sent Events frame as a wire format's encoder produces it: an optional {@code id}, an
 * optional {@code event} name and the {@code data} text. The {@link SseWriter} sanitises and
 * splits the fields; encoders never touch the socket. Immutable.
 *
 * @param id the {@code id:} field (the run's seq for the native format), or null for none
 * @param event the {@code event:} field, or null for none (clients then see {@code message})
 * @param data the {@code data:} text; may contain line breaks, which become several {@code data:} lines
 */
public record SseFrame(String id, String event, String data) {

    public SseFrame {
        requireNonNull(data, "data");
    }
}
