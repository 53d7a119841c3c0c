/**
 * Wire formats: {@link dev.agentstream.server.wire.WireContext} is what each format's routes get
 * from the server (the run service, the SSE streamer, the body reader). Each format lives in its
 * own subpackage ({@code wire.v1}, …) and holds only its routes, request records and encoder.
 */
package dev.agentstream.server.wire;
