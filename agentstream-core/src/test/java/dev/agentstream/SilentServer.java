package dev.agentstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/**
 * A model server that accepts one connection, reads the request and never answers, not even with
 * headers: the one stall the scripted server cannot watch, since it can only notice a client leave
 * by writing to it. This one notices it as the end of the request stream.
 */
final class SilentServer implements AutoCloseable {

    private final ServerSocket socket;
    /** Completed when the client closed the connection it opened. */
    final CompletableFuture<Void> clientClosed = new CompletableFuture<>();

    SilentServer() {
        try {
            socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("silent-server").start(this::serveOne);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }

    private void serveOne() {
        try (Socket client = socket.accept(); InputStream in = client.getInputStream()) {
            byte[] buffer = new byte[4096];
            while (in.read(buffer) != -1) {
                // Read and ignore the request; wait for the end of the stream.
            }
            clientClosed.complete(null);
        } catch (IOException e) {
            // A reset is a close too.
            clientClosed.complete(null);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
