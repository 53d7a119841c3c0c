package dev.agentstream.server.auth;

import static java.util.Objects.requireNonNull;

/**
 * Who is asking: the user an API key belongs to, or {@code local} when the server runs without
 * keys. Every run and session is scoped to its caller. Immutable.
 */
public record Caller(String userId) {

    /** The one user of a server without API keys. */
    public static final Caller LOCAL = new Caller("local");

    public Caller {
        requireNonNull(userId, "userId");
    }

    /** True if the thing owned by {@code ownerUserId} belongs to this caller. */
    public boolean owns(String ownerUserId) {
        return userId.equals(ownerUserId);
    }
}
