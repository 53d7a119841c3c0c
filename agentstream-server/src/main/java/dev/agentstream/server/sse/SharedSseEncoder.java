package dev.agentstream.server.sse;

import dev.agentstream.event.RunEvent;
import dev.agentstream.run.RunEventLog;

/**
 * A wire format whose frames for an event are the same for every reader (no per-stream state):
 * they are encoded once per event, kept beside the event in the run's log, and written by every
 * stream of that run as they are.
 *
 * <p>Thread contract: thread-safe and stateless; one instance serves every stream.
 */
public interface SharedSseEncoder {

    /** The slot in the log where this format's bytes are kept; one per format, allocated once. */
    RunEventLog.MemoKey<byte[]> memoKey();

    /** The complete frames for one event, made with {@link SseWriter#encode}; empty to send nothing. */
    byte[] encode(RunEvent event);
}
