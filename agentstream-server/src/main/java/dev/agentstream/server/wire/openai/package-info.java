/**
 * OpenAI's chat-completions protocol over agents, for the many clients that speak it: agents and
 * teams listed as models, a completion request runs the one its {@code model} names, streamed as
 * {@code chat.completion.chunk}s or answered whole, errors in OpenAI's shape. Routes, request
 * parsing and the per-stream encoder only; the decisions are
 * {@link dev.agentstream.server.run.RunService}'s.
 */
package dev.agentstream.server.wire.openai;
