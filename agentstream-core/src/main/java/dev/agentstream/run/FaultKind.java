package dev.agentstream.run;

import java.util.Locale;

/** What went wrong with a run's model or one of its tools; metrics count faults by it. */
public enum FaultKind {
    /** The model's server answered an error status (after any retries). */
    UPSTREAM_STATUS,
    /** No connection to the model's server: refused, unknown host, no route, connect timeout. */
    UPSTREAM_CONNECT,
    /** The model's stream broke off: the connection was reset or closed before the answer ended. */
    UPSTREAM_BROKEN,
    /** The model sent something that is not its protocol (a chunk that is not JSON, say). */
    UPSTREAM_MALFORMED,
    /** The model sent nothing for the idle timeout. */
    UPSTREAM_STALLED,
    /** Anything else that ended a run with an error. */
    OTHER,
    /** The model called a tool the agent does not have. */
    TOOL_UNKNOWN,
    /** The model called a tool with arguments that are not JSON or do not match its schema. */
    TOOL_BAD_ARGUMENTS,
    /** A tool threw. */
    TOOL_FAILED,
    /** A tool ran past its timeout and was interrupted. */
    TOOL_TIMEOUT;

    /** True for a tool call's fault (the run goes on), false for one that ended the run. */
    public boolean isToolFault() {
        return name().startsWith("TOOL_");
    }

    /** The metric label, e.g. {@code upstream_status}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
