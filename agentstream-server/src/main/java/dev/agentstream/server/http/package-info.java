/**
 * HTTP plumbing every wire format shares: the client-facing error ({@link dev.agentstream.server.http.ApiError})
 * and the mapping of everything a handler throws to an error body ({@code ErrorMapping}), request
 * bodies read as bounded JSON objects ({@link dev.agentstream.server.http.JsonBodies}), validated
 * access to their fields ({@link dev.agentstream.server.http.JsonFields}), and JSON replies
 * ({@link dev.agentstream.server.http.JsonReplies}).
 */
package dev.agentstream.server.http;
