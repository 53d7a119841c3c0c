/**
 * Who is asking: the API keys a server accepts ({@link dev.agentstream.server.auth.ApiKeys}), the
 * caller a key belongs to ({@link dev.agentstream.server.auth.Caller}), and the one check every
 * {@code /v1} route passes ({@link dev.agentstream.server.auth.Auth}), which leaves the caller on
 * the request for the routes. Every run and session is scoped to its caller.
 */
package dev.agentstream.server.auth;
