/**
 * Test and demo support for agentstream.
 *
 * <ul>
 *   <li>{@link dev.agentstream.testkit.ScriptedOpenAiServer}: a real local HTTP server speaking the OpenAI
 *       chat-completions protocol, answering each request with a queued {@link dev.agentstream.testkit.Script}
 *       (text, reasoning, tool calls, usage, pacing, faults) and recording it as a
 *       {@link dev.agentstream.testkit.RecordedRequest};</li>
 *   <li>{@link dev.agentstream.testkit.DemoChatModel}: an offline streaming chat model driven by keyword rules;</li>
 *   <li>{@link dev.agentstream.testkit.DemoTools}: the demo tools, as LangChain4j {@code @Tool} methods.</li>
 * </ul>
 */
package dev.agentstream.testkit;
