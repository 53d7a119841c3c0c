package dev.agentstream.server.run;

import java.util.Optional;

/** What happens to a run when its last streaming reader goes away. */
public enum DisconnectPolicy {
    /** Cancel the run (reason {@code client_disconnected}; stored as INTERRUPTED with its partial content). */
    CANCEL,
    /** Let the run go on; the client can come back through {@code /events}. */
    CONTINUE;

    /** The policy named {@code wire} ({@code cancel}, {@code continue}), if it is one. */
    public static Optional<DisconnectPolicy> fromWire(String wire) {
        return WireNames.parse(DisconnectPolicy.class, wire);
    }

    public String wire() {
        return WireNames.of(this);
    }
}
