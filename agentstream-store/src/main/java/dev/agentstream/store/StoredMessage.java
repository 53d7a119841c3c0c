package dev.agentstream.store;

import java.time.Instant;

/**
 * One message of a session, in conversation order.
 *
 * @param role {@code user}, {@code assistant} or {@code tool}
 * @param toolArguments the tool call's arguments as JSON text (tool messages)
 * @param content the text; for a tool message, the tool's result
 * @param interrupted the message was cut short (stop, disconnect, crash, error)
 */
public record StoredMessage(String messageId, String sessionId, String runId, String role, String content,
                            String reasoningContent, String toolCallId, String toolName, String toolArguments,
                            Instant createdAt, Instant completedAt, boolean interrupted, String error) {
}
