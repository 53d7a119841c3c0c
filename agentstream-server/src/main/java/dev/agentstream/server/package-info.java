/**
 * The agentstream HTTP server: {@link dev.agentstream.server.AgentstreamServer} (builder and
 * lifecycle), {@link dev.agentstream.server.Main} (configuration from the environment), and what
 * every wire format shares: auth ({@link dev.agentstream.server.Auth}), request limits and JSON
 * bodies, error mapping, the run service (start under a multitask strategy and an idempotency key,
 * cancel, continue), the reader's feed of a run's events, the one SSE frame writer and the
 * per-connection streamer with its disconnect policy, and the Prometheus metrics.
 *
 * <p>Wire formats live in {@code dev.agentstream.server.wire.<format>} and hold only their routes,
 * request parsing and encoder. The public types here that formats use ({@code RunService},
 * {@code RunFeed}, {@code SseStreamer}, …) are for those formats; they may change between releases.
 */
package dev.agentstream.server;
