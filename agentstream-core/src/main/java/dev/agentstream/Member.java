package dev.agentstream;

import java.util.Optional;

/** Something that can run: an {@link Agent}, or a {@link Team} of them. A team's members are members. */
public sealed interface Member permits Agent, Team {

    /** The id used in URLs and events; unique among the agents and teams of one runtime. */
    String id();

    String name();

    /** What the member is good at; a team's leader reads it to decide whom to ask. */
    Optional<String> description();

    /** Ids go into URLs and tool names, so they are kept to a safe alphabet. */
    static String checkId(String id) {
        java.util.Objects.requireNonNull(id, "id");
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("id: " + id + " (expected: 1-64 of [A-Za-z0-9._-])");
        }
        return id;
    }
}
