package dev.agentstream.server.wire.aisdk;

import dev.agentstream.server.wire.WireContext;
import io.javalin.router.JavalinDefaultRoutingApi;

/**
 * The Vercel AI SDK's chat protocol ({@code useChat} with {@code DefaultChatTransport}) under
 * {@code /v1/ai-sdk}: point the transport's {@code api} at {@code /v1/ai-sdk/agents/{id}/chat}.
 * Auth runs before these routes as the shared {@code /v1} filter; this class only maps paths.
 */
public final class AiSdkRoutes {

    private AiSdkRoutes() {
    }

    /** Registers every {@code /v1/ai-sdk} route. */
    public static void register(JavalinDefaultRoutingApi routing, WireContext wire) {
        ChatRoutes chats = new ChatRoutes(wire);
        routing.post("/v1/ai-sdk/agents/{agent_id}/chat", chats::chat);
        routing.get("/v1/ai-sdk/agents/{agent_id}/chat/{chat_id}/stream", chats::resume);
        routing.post("/v1/ai-sdk/agents/{agent_id}/chat/{chat_id}/stop", chats::stop);
        routing.post("/v1/ai-sdk/teams/{team_id}/chat", chats::teamChat);
        routing.get("/v1/ai-sdk/teams/{team_id}/chat/{chat_id}/stream", chats::resume);
        routing.post("/v1/ai-sdk/teams/{team_id}/chat/{chat_id}/stop", chats::stop);
    }
}
