package dev.agentstream.server.sse;

import dev.agentstream.event.RunEvent;
import java.util.List;

/**
 * Turns run events into one wire format's SSE frames. One instance per stream, so a format may
 * keep per-stream state (which message or tool call is open); it never touches the socket.
 *
 * <p>Thread contract: not thread-safe; called by the connection's thread only.
 */
@FunctionalInterface
public interface SseEncoder {

    /** The frames for one event, in order; empty to send nothing for it. */
    List<SseFrame> encode(RunEvent event);
}
