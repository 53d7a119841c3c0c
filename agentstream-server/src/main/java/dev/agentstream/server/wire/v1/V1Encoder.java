package dev.agentstream.server.wire.v1;

import dev.agentstream.event.EventJson;
import dev.agentstream.event.RunEvent;
import dev.agentstream.server.sse.SseEncoder;
import dev.agentstream.server.sse.SseFrame;
import java.util.List;

/**
 * The native format: one frame per event, {@code id:} its seq, {@code event:} its Agno name,
 * {@code data:} its snake_case JSON. Stateless, so one instance serves every stream.
 */
final class V1Encoder implements SseEncoder {

    static final V1Encoder INSTANCE = new V1Encoder();

    private V1Encoder() {
    }

    @Override
    public List<SseFrame> encode(RunEvent event) {
        return List.of(new SseFrame(Long.toString(event.seq()), event.eventName(), EventJson.write(event)));
    }
}
