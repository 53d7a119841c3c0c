/**
 * What the server does with runs, for every wire format: {@link dev.agentstream.server.run.RunService}
 * starts a run in a session (under a {@link dev.agentstream.server.run.Multitask} strategy and an
 * idempotency key), finds one for its owner, cancels and continues it; {@code SessionLanes} keeps
 * one run going per session and the others waiting their turn; {@code RunStopper} stops runs; a
 * {@link dev.agentstream.server.run.ServerRun} is the server's view of a run it accepted, with its
 * {@link dev.agentstream.server.run.DisconnectPolicy}; a {@link dev.agentstream.server.run.RunRef}
 * is a run the caller may see, live or stored.
 *
 * <p>{@link dev.agentstream.server.run.RunFeed} is one reader's position in a run's events (memory,
 * then the store); it knows nothing of SSE, so any format can read a run through it.
 */
package dev.agentstream.server.run;
