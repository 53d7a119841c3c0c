/**
 * The Vercel AI SDK's UI message stream ({@code useChat}, {@code DefaultChatTransport}): chat
 * routes, the request records and the per-stream chunk encoder. The client's contract is
 * {@code ../shared/clients/ai-sdk.md}; the decisions are {@link dev.agentstream.server.run.RunService}'s.
 */
package dev.agentstream.server.wire.aisdk;
