/**
 * The server's Prometheus figures ({@link dev.agentstream.server.metrics.ServerMetrics}): runs,
 * events, SSE streams and persistence, served at {@code /metrics}.
 */
package dev.agentstream.server.metrics;
