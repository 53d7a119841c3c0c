package dev.agentstream;

import java.util.Optional;

/** Something that can run: an {@link Agent}, or a {@link Team} of them. A team's members are members. */
public sealed interface Member permits Agent, Team {

    /** The id used in URLs and events; unique among the agents and teams of one runtime. */
    String id();

    String name();

    /** What the member is good at; a team's leader reads it to decide whom to ask. */
    Optional<String> description();
}
