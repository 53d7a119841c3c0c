/**
 * The streaming load harness: a fake OpenAI upstream whose tokens carry their emit time
 * ({@link dev.agentstream.bench.load.FakeOpenAiUpstream}), a raw byte proxy as the limit
 * ({@link dev.agentstream.bench.load.RawByteProxy}), a load generator reading real SSE over raw
 * sockets ({@link dev.agentstream.bench.load.LoadGenerator}) and the report it feeds
 * ({@link dev.agentstream.bench.load.ReportWriter}). JDK only, so it runs from the module's classes
 * directory; {@code agentstream-bench/streaming-bench.sh} drives it.
 *
 * <p>Also the soak ({@link dev.agentstream.bench.load.SoakLoad}, driven by
 * {@code agentstream-bench/soak.sh}): clients taking turns through a mix of scenarios
 * ({@link dev.agentstream.bench.load.SoakScenario}), the server's figures at rest before and after
 * ({@link dev.agentstream.bench.load.ServerFigures}) and the rules that call a difference a leak
 * ({@link dev.agentstream.bench.load.LeakCheck}). It needs the server jar on the class path for the
 * JDBC drivers that count stored runs.
 */
package dev.agentstream.bench.load;
