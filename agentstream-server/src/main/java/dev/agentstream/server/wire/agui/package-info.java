/**
 * AG-UI 1.0 (CopilotKit, {@code @ag-ui/client}) under {@code /agui}: the routes, the
 * {@code RunAgentInput} record, the per-stream encoder and the mapping of pauses to interrupts and
 * of answers to decisions. The decisions on runs are {@link dev.agentstream.server.run.RunService}'s.
 */
package dev.agentstream.server.wire.agui;
