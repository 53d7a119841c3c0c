package dev.agentstream.server.wire.v1;

import dev.agentstream.event.EventJson;
import dev.agentstream.event.RunEvent;
import dev.agentstream.run.RunEventLog;
import dev.agentstream.server.sse.SharedSseEncoder;
import dev.agentstream.server.sse.SseWriter;

/**
 * The native format: one frame per event, {@code id:} its seq, {@code event:} its Agno name,
 * {@code data:} its snake_case JSON. Stateless, so each event is encoded once and shared by every
 * stream of its run. Public for the per-event benchmark; the routes are its only user.
 */
public final class V1Encoder implements SharedSseEncoder {

    public static final V1Encoder INSTANCE = new V1Encoder();
    private static final RunEventLog.MemoKey<byte[]> MEMO = RunEventLog.memoKey("v1");

    private V1Encoder() {
    }

    @Override
    public RunEventLog.MemoKey<byte[]> memoKey() {
        return MEMO;
    }

    @Override
    public byte[] encode(RunEvent event) {
        return SseWriter.encode(Long.toString(event.seq()), event.eventName(), out -> EventJson.write(event, out));
    }
}
