/**
 * The agentstream HTTP server's public surface: {@link dev.agentstream.server.AgentstreamServer}
 * (builder and lifecycle; it wires the packages below together and mounts the routes),
 * {@link dev.agentstream.server.Main} ({@code java -jar}), {@link dev.agentstream.server.ServerConfig}
 * (the environment variables), and what {@code Main} serves: the model named by the configuration
 * ({@code Models}) and the demo agent and team ({@code DemoAgent}).
 *
 * <p>Where the rest happens:
 * <ul>
 * <li>{@code server.auth}: API keys, the caller, the one auth check every route uses;
 * <li>{@code server.http}: error bodies and their mapping, JSON request bodies and fields, JSON replies;
 * <li>{@code server.run}: starting, stopping and continuing runs, session lanes, multitask and
 *     disconnect policies, and a reader's feed of a run's events;
 * <li>{@code server.sse}: SSE frames, the frame writer, the encoder interface, the per-connection streamer;
 * <li>{@code server.metrics}: the Prometheus figures;
 * <li>{@code server.wire} and {@code server.wire.<format>}: what a wire format gets, and one package
 *     per format with its routes, request records and encoder.
 * </ul>
 *
 * <p>The public types of those packages that formats use ({@code RunService}, {@code RunFeed},
 * {@code SseStreamer}, …) are for those formats; they may change between releases.
 */
package dev.agentstream.server;
