package dev.agentstream.redis;

import dev.agentstream.event.EventJson;
import dev.agentstream.event.RunEvent;
import io.lettuce.core.StreamMessage;
import java.util.Map;

/**
 * How a run's events sit in Redis: one stream per run ({@code agentstream:events:<runId>}), one
 * entry per event, whose id is {@code <seq>-0} so that a reader's Last-Event-ID is a stream position
 * and Redis itself refuses an event that is not newer than the last one.
 */
final class RunStreamCodec {

    static final String KEY_PREFIX = RedisLink.PREFIX + "events:";
    private static final String FIELD = "e";

    private RunStreamCodec() {
    }

    static String key(String runId) {
        return KEY_PREFIX + runId;
    }

    static String id(long seq) {
        return seq + "-0";
    }

    static Map<String, String> body(RunEvent event) {
        return Map.of(FIELD, EventJson.write(event));
    }

    static RunEvent event(StreamMessage<String, String> message) {
        return EventJson.readEvent(message.getBody().get(FIELD));
    }
}
