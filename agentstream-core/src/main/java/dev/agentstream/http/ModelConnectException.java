package dev.agentstream.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * No connection to the model's server could be made (refused, unknown host, no route, connect
 * timeout). The message names the address and the reason in words a user can act on, for example
 * {@code could not connect to the model at 127.0.0.1:1: connection refused}; it becomes the run's
 * {@code RunError} content.
 */
public final class ModelConnectException extends IOException {

    private ModelConnectException(String message) {
        super(message);
    }

    /** The failure of a request that never got a connection to {@code uri}. */
    static ModelConnectException of(URI uri, Throwable failure, Duration connectTimeout) {
        ModelConnectException e = new ModelConnectException("could not connect to the model at " + address(uri) + ": "
            + reason(failure, connectTimeout));
        // Suppressed, not the cause: LangChain4j's exception mapper rebuilds an exception from its
        // root cause, and a message-less root (UnresolvedAddressException) would lose this text.
        e.addSuppressed(failure);
        return e;
    }

    static String address(URI uri) {
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    private static String reason(Throwable failure, Duration connectTimeout) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            switch (t) {
                case UnknownHostException e -> {
                    return "unknown host";
                }
                case UnresolvedAddressException e -> {
                    return "unknown host";
                }
                case NoRouteToHostException e -> {
                    return "no route to host";
                }
                case ConnectException e -> {
                    return e.getMessage() != null ? e.getMessage().toLowerCase(Locale.ROOT) : "connection refused";
                }
                case SocketTimeoutException e -> {
                    return noConnectionWithin(connectTimeout);
                }
                case TimeoutException e -> {
                    return noConnectionWithin(connectTimeout);
                }
                default -> {
                    // Wrappers (ExecutionException, …): the reason is further down.
                }
            }
        }
        return failure.getMessage() != null ? failure.getMessage()
            : "the connection failed (" + failure.getClass().getSimpleName() + ")";
    }

    private static String noConnectionWithin(Duration connectTimeout) {
        // Jetty's own default applies when none was set.
        Duration timeout = connectTimeout != null ? connectTimeout : Duration.ofSeconds(15);
        return "no connection within " + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms");
    }
}
