package dev.agentstream.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * The SSE frames of an OpenAI {@code chat.completion.chunk} stream, as bytes ready for the wire:
 * content deltas, the {@code finish_reason} chunk, the usage chunk and {@code [DONE]}.
 */
final class OpenAiChunks {

    private final String prefix;

    OpenAiChunks(long streamId, long createdSeconds) {
        this.prefix = "data: {\"id\":\"chatcmpl-bench-" + streamId + "\",\"object\":\"chat.completion.chunk\",\"created\":"
            + createdSeconds + ",\"model\":\"bench\",\"system_fingerprint\":\"bench\",\"choices\":";
    }

    /** A content delta; the first one also names the role, as OpenAI's do. The text needs no JSON escaping. */
    byte[] content(String text, boolean first) {
        String delta = first ? "{\"role\":\"assistant\",\"content\":\"" + text + "\"}" : "{\"content\":\"" + text + "\"}";
        return frame("[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":null}]}");
    }

    byte[] finish() {
        return frame("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}");
    }

    byte[] usage(int promptTokens, int completionTokens) {
        return frame("[],\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens
            + ",\"total_tokens\":" + (promptTokens + completionTokens) + "}}");
    }

    static byte[] done() {
        return "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
    }

    private byte[] frame(String json) {
        return (prefix + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
