/**
 * The streaming load harness: a fake OpenAI upstream whose tokens carry their emit time
 * ({@link dev.agentstream.bench.load.FakeOpenAiUpstream}), a raw byte proxy as the limit
 * ({@link dev.agentstream.bench.load.RawByteProxy}), a load generator reading real SSE over raw
 * sockets ({@link dev.agentstream.bench.load.LoadGenerator}) and the report it feeds
 * ({@link dev.agentstream.bench.load.ReportWriter}). JDK only, so it runs from the module's classes
 * directory; {@code agentstream-bench/streaming-bench.sh} drives it.
 */
package dev.agentstream.bench.load;
