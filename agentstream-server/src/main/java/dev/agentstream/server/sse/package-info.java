/**
 * Server-Sent Events: the frame a format's encoder produces ({@link dev.agentstream.server.sse.SseFrame}),
 * the encoder interface ({@link dev.agentstream.server.sse.SseEncoder}), the one frame writer
 * ({@link dev.agentstream.server.sse.SseWriter}), and the per-connection streamer
 * ({@link dev.agentstream.server.sse.SseStreamer}) that pumps a run's feed to the client with
 * probes and heartbeats, notices a gone client and applies the run's disconnect policy.
 */
package dev.agentstream.server.sse;
