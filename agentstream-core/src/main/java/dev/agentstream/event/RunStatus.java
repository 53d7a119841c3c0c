package dev.agentstream.event;

/** Where a run stands. {@code INTERRUPTED}: the process or the client went away and the policy stopped it. */
public enum RunStatus {
    PENDING,
    RUNNING,
    PAUSED,
    COMPLETED,
    CANCELLED,
    ERROR,
    INTERRUPTED;

    /** True once nothing more can happen to the run. */
    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED || this == ERROR || this == INTERRUPTED;
    }
}
