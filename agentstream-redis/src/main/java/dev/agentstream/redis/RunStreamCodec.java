package dev.agentstream.redis;

import dev.agentstream.event.EventJson;
import dev.agentstream.event.RunEvent;
import io.lettuce.core.StreamMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a run's events sit in Redis: one stream per run ({@code agentstream:events:<runId>}), one
 * entry per event, whose id is {@code <seq>-0} so that a reader's Last-Event-ID is a stream position
 * and Redis itself refuses an event that is not newer than the last one. Each batch of a run's
 * events added to its stream is also announced on the run's channel ({@code agentstream:live:<runId>})
 * for the nodes following it live.
 */
final class RunStreamCodec {

    static final String KEY_PREFIX = RedisLink.PREFIX + "events:";
    /** Where a run's events are announced as they are added, for the nodes that follow it. */
    static final String CHANNEL_PREFIX = RedisLink.PREFIX + "live:";
    private static final String FIELD = "e";

    private RunStreamCodec() {
    }

    static String key(String runId) {
        return KEY_PREFIX + runId;
    }

    static String channel(String runId) {
        return CHANNEL_PREFIX + runId;
    }

    static String id(long seq) {
        return seq + "-0";
    }

    static Map<String, String> body(RunEvent event) {
        return body(EventJson.write(event));
    }

    static Map<String, String> body(String eventJson) {
        return Map.of(FIELD, eventJson);
    }

    /** One announcement of several events: their JSON, one per line (event JSON has no raw line break). */
    static String announcement(List<String> eventJsons) {
        return String.join("\n", eventJsons);
    }

    static List<RunEvent> events(String announcement) {
        List<RunEvent> events = new ArrayList<>();
        for (String line : announcement.split("\n")) {
            events.add(EventJson.readEvent(line));
        }
        return events;
    }

    static RunEvent event(StreamMessage<String, String> message) {
        return EventJson.readEvent(message.getBody().get(FIELD));
    }
}
