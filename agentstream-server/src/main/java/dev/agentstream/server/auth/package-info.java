/**
 * Who is asking: the API keys a server accepts ({@link dev.agentstream.server.auth.ApiKeys}), the JWT
 * bearer tokens it accepts ({@link dev.agentstream.server.auth.JwtVerifier}), the caller a key or
 * token stands for ({@link dev.agentstream.server.auth.Caller}), and the one check every route with
 * data passes ({@link dev.agentstream.server.auth.Auth}), which leaves the caller on the request for
 * the routes. Every run and session is scoped to its caller.
 */
package dev.agentstream.server.auth;
