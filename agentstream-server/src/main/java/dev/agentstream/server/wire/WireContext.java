package dev.agentstream.server.wire;

import dev.agentstream.server.http.JsonBodies;
import dev.agentstream.server.run.RunService;
import dev.agentstream.server.sse.SseStreamer;

/**
 * What a wire format's routes get from the server: the run service, the SSE streamer and the body
 * reader. Shared by every format; immutable.
 */
public record WireContext(RunService runs, SseStreamer streamer, JsonBodies bodies) {
}
