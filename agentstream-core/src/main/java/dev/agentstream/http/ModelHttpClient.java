package dev.agentstream.http;

import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.DefaultServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

/**
 * LangChain4j's {@link HttpClient} on Jetty's non-blocking HTTP client: sockets are read by Jetty's
 * selector, and each streamed response is parsed by a virtual thread of its own that parks while
 * the stream is quiet.
 *
 * <p>Why not LangChain4j's default: its JDK client parses each stream with a blocking
 * {@code readLine} loop on {@code ForkJoinPool.commonPool()}, which stops adding threads at 256
 * spares, so past ~256 concurrent model calls tokens wait in socket buffers for a thread; and the
 * JDK client, once a response stream is closed, may close the socket only when more data arrives.
 * Here no platform thread is held per stream, and a cancel (LangChain4j's parsing handle closes the
 * response stream) aborts the exchange, which closes the connection at once: no token is paid for
 * after a stop.
 *
 * <p>Thread contract: thread-safe; one instance serves any number of concurrent calls. Its Jetty
 * client runs on daemon threads for the life of the process, like the JDK client's selector.
 */
public final class ModelHttpClient implements HttpClient {

    private static final ThreadFactory PARSERS = Thread.ofVirtual().name("agentstream-model-stream-", 0).factory();

    private final org.eclipse.jetty.client.HttpClient jetty;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    ModelHttpClient(org.eclipse.jetty.client.HttpClient jetty, Duration connectTimeout, Duration readTimeout) {
        this.jetty = jetty;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** A builder to hand to a LangChain4j model's {@code httpClientBuilder(...)}. */
    public static ModelHttpClientBuilder builder() {
        return new ModelHttpClientBuilder();
    }

    /** A plain call: blocks the calling thread (agentstream calls models from virtual threads). */
    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        Exchange exchange = send(request);
        try {
            Response response = exchange.awaitHeaders();
            byte[] body;
            try (InputStream in = exchange.listener.getInputStream()) {
                body = in.readAllBytes();
            }
            int status = response.getStatus();
            if (status < 200 || status >= 300) {
                throw new ModelHttpException(status, new String(body, StandardCharsets.UTF_8), retryAfter(response));
            }
            return SuccessfulHttpResponse.builder().statusCode(status).headers(headers(response)).body(body).build();
        } catch (IOException e) {
            // The message as it is: wrapped, it would start with the IOException's class name.
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.request.abort(e);
            throw new RuntimeException(e);
        }
    }

    /** A streamed call: returns at once; a virtual thread parses the response and calls the listener. */
    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        Exchange exchange = send(request);
        PARSERS.newThread(() -> parse(exchange, parser, listener)).start();
    }

    private void parse(Exchange exchange, ServerSentEventParser parser, ServerSentEventListener listener) {
        Response response;
        try {
            response = exchange.awaitHeaders();
        } catch (IOException e) {
            notify(() -> listener.onError(e));
            return;
        } catch (InterruptedException e) {
            exchange.request.abort(e);
            notify(() -> listener.onError(e));
            return;
        }
        try (InputStream body = new AbortingOnClose(exchange.listener.getInputStream(), response)) {
            int status = response.getStatus();
            if (status < 200 || status >= 300) {
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                notify(() -> listener.onError(new ModelHttpException(status, text, retryAfter(response))));
                return;
            }
            SuccessfulHttpResponse opened = SuccessfulHttpResponse.builder()
                .statusCode(status)
                .headers(headers(response))
                .build();
            notify(() -> listener.onOpen(opened));
            // The parser reports read errors (a reset, a cancel) to the listener itself. LangChain4j's
            // default parser is swapped for one with the same rules and a fraction of its buffers.
            (parser.getClass() == DefaultServerSentEventParser.class ? CompactServerSentEventParser.INSTANCE : parser)
                .parse(body, listener);
            notify(listener::onClose);
        } catch (IOException e) {
            notify(() -> listener.onError(e));
        }
    }

    private Exchange send(HttpRequest request) {
        if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
            // No chat model sends multipart; refuse rather than send it wrong.
            throw new IllegalArgumentException("multipart requests are not supported by " + getClass().getSimpleName());
        }
        Request jettyRequest = jetty.newRequest(request.url()).method(request.method().name());
        String contentType = "application/json";
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            if (header.getKey().equalsIgnoreCase("Content-Type")) {
                contentType = header.getValue().isEmpty() ? contentType : header.getValue().getFirst();
                continue;
            }
            jettyRequest.headers(h -> header.getValue().forEach(value -> h.add(header.getKey(), value)));
        }
        if (request.body() != null) {
            jettyRequest.body(new StringRequestContent(contentType, request.body(), StandardCharsets.UTF_8));
        }
        if (readTimeout != null) {
            // No byte for this long, while waiting for the answer or inside a stream: the call fails.
            jettyRequest.idleTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        // Jetty begins a request once it has a connection for it: a failure before that is a connect failure.
        AtomicBoolean connected = new AtomicBoolean();
        jettyRequest.onRequestBegin(begun -> connected.set(true));
        InputStreamResponseListener listener = new InputStreamResponseListener();
        ModelCalls.started(() -> jettyRequest.abort(new AsynchronousCloseException()));
        jettyRequest.send(listener);
        return new Exchange(jettyRequest, listener, headerTimeout(), connected, connectTimeout);
    }

    private Duration headerTimeout() {
        Duration connect = connectTimeout != null ? connectTimeout : Duration.ofSeconds(15);
        return readTimeout != null ? connect.plus(readTimeout) : connect.plus(Duration.ofMinutes(10));
    }

    private static String retryAfter(Response response) {
        return response.getHeaders().get(HttpHeader.RETRY_AFTER);
    }

    private static Map<String, List<String>> headers(Response response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : response.getHeaders()) {
            headers.computeIfAbsent(field.getName(), k -> new ArrayList<>()).add(field.getValue());
        }
        return headers;
    }

    /** Listener callbacks must not kill the parsing thread; LangChain4j's client ignores their exceptions too. */
    private static void notify(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            // The listener is the model's own handler; its failure is not the stream's.
        }
    }

    /**
     * One request in flight and the listener that receives its response.
     *
     * @param connected true once Jetty had a connection to send the request on
     * @param connectTimeout null for Jetty's default
     */
    private record Exchange(Request request, InputStreamResponseListener listener, Duration headerTimeout,
                            AtomicBoolean connected, Duration connectTimeout) {

        Response awaitHeaders() throws IOException, InterruptedException {
            try {
                return listener.get(headerTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                request.abort(e);
                throw new IOException(new TimeoutException("no response from " + request.getURI() + " within " + headerTimeout));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (!connected.get()) {
                    throw ModelConnectException.of(request.getURI(), cause, connectTimeout);
                }
                if (cause instanceof java.util.concurrent.TimeoutException timeout) {
                    throw new IOException(new TimeoutException(timeout));
                }
                throw cause instanceof IOException io ? io : new IOException(cause);
            }
        }
    }

    /**
     * The response body; closing it before the end aborts the exchange, so the connection is closed
     * now rather than when the server next writes. LangChain4j's cancel closes this stream.
     */
    private static final class AbortingOnClose extends FilterInputStream {

        private final Response response;

        AbortingOnClose(InputStream in, Response response) {
            super(in);
            this.response = response;
        }

        @Override
        public void close() throws IOException {
            response.abort(new AsynchronousCloseException());
            super.close();
        }
    }
}
