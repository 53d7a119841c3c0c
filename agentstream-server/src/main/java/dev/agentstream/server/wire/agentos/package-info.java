/**
 * Agno's AgentOS routes, as Agno's Agent UI uses them: {@code /agents}, {@code /teams}, their runs
 * (form bodies; Agno-named events as SSE frames whose JSON carries {@code event}), cancel and
 * continue, and {@code /sessions}. Routes, form parsing, the answers' shapes and the encoder only;
 * the decisions are {@link dev.agentstream.server.run.RunService}'s.
 */
package dev.agentstream.server.wire.agentos;
