/**
 * The native API under {@code /v1}: runs started, followed, cancelled and continued over
 * Server-Sent Events with Agno's event names and the run's {@code seq} as the SSE {@code id};
 * sessions, messages and agents as JSON. Routes, request parsing and the encoder only; the
 * decisions are {@link dev.agentstream.server.run.RunService}'s.
 */
package dev.agentstream.server.wire.v1;
