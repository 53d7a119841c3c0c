package dev.agentstream.testkit;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.agentstream.testkit.RecordedRequest.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers {@code POST /v1/chat/completions}: records the request, takes the next script and plays it.
 * Every exchange runs on its own (virtual) thread; this handler keeps no per-request state of its own.
 */
final class ChatCompletionsHandler implements HttpHandler {

    static final String PATH = "/v1/chat/completions";

    private static final Logger log = LoggerFactory.getLogger(ChatCompletionsHandler.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RequestLog requestLog;
    private final Supplier<Optional<Script>> nextScript;
    private final ShutdownSignal shutdown;

    ChatCompletionsHandler(RequestLog requestLog, Supplier<Optional<Script>> nextScript, ShutdownSignal shutdown) {
        this.requestLog = requestLog;
        this.nextScript = nextScript;
        this.shutdown = shutdown;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod()) || !PATH.equals(exchange.getRequestURI().getPath())) {
            reply(exchange, 404, OpenAiError.body("ScriptedOpenAiServer only serves POST " + PATH + ", not "
                    + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(),
                    "invalid_request_error", "unknown_url"));
            return;
        }
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = MAPPER.readTree(in);
        } catch (JacksonException e) {
            reply(exchange, 400, OpenAiError.body("request body is not JSON: " + e.getOriginalMessage(),
                    "invalid_request_error", null));
            return;
        }
        if (!body.isObject()) {
            reply(exchange, 400, OpenAiError.body("request body must be a JSON object", "invalid_request_error",
                    null));
            return;
        }
        RecordedRequest request = requestLog.record(body);
        Optional<Script> script = nextScript.get();
        if (script.isEmpty()) {
            reply(exchange, 500, OpenAiError.body("ScriptedOpenAiServer: no script was queued for request #"
                    + request.index() + "; call enqueue(Script) or setDefault(Script) first",
                    "testkit_no_script", "no_script_queued"));
            request.finish(Outcome.NO_SCRIPT);
            return;
        }
        CompletionJson json = new CompletionJson("chatcmpl-testkit-" + request.index(),
                Instant.now().getEpochSecond(), body.path("model").asText("scripted-model"));
        ScriptPlayer player = new ScriptPlayer(exchange, script.get(), json, shutdown);
        Outcome outcome;
        try {
            outcome = player.play(request.streaming());
        } catch (ScriptPlayer.AbortConnection scriptedReset) {
            outcome = Outcome.RESET;
        } catch (IOException clientGone) {
            outcome = Outcome.CLIENT_CLOSED_EARLY;
        } catch (RuntimeException unexpected) {
            log.warn("ScriptedOpenAiServer failed while answering request #{}", request.index(), unexpected);
            request.finish(shutdown.isTriggered() ? Outcome.SERVER_CLOSED : Outcome.CLIENT_CLOSED_EARLY);
            throw unexpected;
        }
        request.finish(outcome);
        if (outcome != Outcome.COMPLETED) {
            // The response is unfinished and nothing more will be written: drop the connection.
            throw new ScriptPlayer.AbortConnection();
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        ScriptPlayer.sendJson(exchange, status, body, Map.of());
    }
}
