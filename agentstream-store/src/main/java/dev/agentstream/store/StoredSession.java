package dev.agentstream.store;

import java.time.Instant;

/** A conversation: its owner, the agent or team it talks to, and a title from its first message. */
public record StoredSession(String sessionId, String userId, String agentId, String title, Instant createdAt,
                            Instant updatedAt) {
}
