package dev.agentstream.testkit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Error bodies in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}, for scripted HTTP errors. */
public final class OpenAiError {

    private OpenAiError() {
    }

    public static String body(String message, String type, String code) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("error", error);
        return root.toString();
    }
}
