/**
 * How agentstream talks HTTP to models: {@link dev.agentstream.http.ModelHttpClient}, an implementation of
 * LangChain4j's HTTP client SPI on Jetty's non-blocking client, whose streamed responses are parsed on
 * virtual threads, so a thousand model streams in flight hold no platform thread each, and whose cancel
 * closes the upstream connection at once. Build models with
 * {@code .httpClientBuilder(ModelHttpClient.builder())}.
 */
package dev.agentstream.http;
