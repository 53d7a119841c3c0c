package dev.agentstream;

import java.time.Duration;

/**
 * How a run meets a misbehaving model or tool, as the runtime was configured; an agent may set its
 * own retries and per-tool timeouts.
 *
 * @param modelIdleTimeout how long the model may send nothing before its turn fails
 * @param upstreamRetries how often a call answered 429/5xx before any output is retried
 * @param toolTimeout how long a tool call may run before it is interrupted
 */
record FaultPolicy(Duration modelIdleTimeout, int upstreamRetries, Duration toolTimeout) {
}
