package dev.agentstream.event;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DatabindContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.jsontype.impl.TypeIdResolverBase;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Maps the {@code "event"} field to a record and back: {@code RunContent} and {@code TeamRunContent}
 * are both {@link RunContent}; the prefix is derived from {@code team_id} on the way out.
 */
final class EventNameResolver extends TypeIdResolverBase {

    private static final String TEAM_PREFIX = "Team";
    private static final Map<String, Class<?>> BY_NAME = Stream.of(RunEvent.class.getPermittedSubclasses())
        .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, c -> c));

    @Override
    public String idFromValue(Object value) {
        return ((RunEvent) value).eventName();
    }

    @Override
    public String idFromValueAndType(Object value, Class<?> suggestedType) {
        return idFromValue(value);
    }

    @Override
    public JavaType typeFromId(DatabindContext context, String id) {
        Class<?> type = BY_NAME.get(id);
        if (type == null && id.startsWith(TEAM_PREFIX)) {
            type = BY_NAME.get(id.substring(TEAM_PREFIX.length()));
        }
        if (type == null) {
            throw new IllegalArgumentException("event: " + id + " (expected one of " + BY_NAME.keySet() + ")");
        }
        return context.constructType(type);
    }

    @Override
    public JsonTypeInfo.Id getMechanism() {
        return JsonTypeInfo.Id.CUSTOM;
    }
}
