package dev.agentstream.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An HTTP/1.1 exchange on a plain socket, for tests that must control the connection itself: read
 * the response's bytes as they come and close the socket at an exact point.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final StringBuilder received = new StringBuilder();

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Sends a POST with a JSON body. */
    public static RawHttp post(URI base, String path, String json) throws IOException {
        return post(base, path, json, 0);
    }

    /**
     * Sends a POST with a JSON body from a socket whose receive buffer is about {@code receiveBufferBytes}
     * (0 for the system's default): a client that reads nothing then stalls the server's writes soon.
     */
    public static RawHttp post(URI base, String path, String json, int receiveBufferBytes) throws IOException {
        Socket socket = openSocket(base, receiveBufferBytes);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nAccept: text/event-stream\r\n\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(body);
        socket.getOutputStream().flush();
        return new RawHttp(socket);
    }

    /** Sends a GET for an event stream, from a socket with a receive buffer as {@link #post(URI, String, String, int)}. */
    public static RawHttp get(URI base, String path, int receiveBufferBytes) throws IOException {
        Socket socket = openSocket(base, receiveBufferBytes);
        String head = "GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
            + "\r\nAccept: text/event-stream\r\n\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new RawHttp(socket);
    }

    private static Socket openSocket(URI base, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        if (receiveBufferBytes > 0) {
            // Before connecting: the window the client offers is fixed by the buffer it has then.
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()));
        return socket;
    }

    /** Opens a socket and sends nothing yet. */
    public static RawHttp connect(URI base) throws IOException {
        return new RawHttp(new Socket(base.getHost(), base.getPort()));
    }

    /** Writes {@code text} as ISO-8859-1 bytes, at once. */
    public RawHttp send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /**
     * Reads until the server closes the connection, for at most {@code within}; returns everything received.
     *
     * @throws java.net.SocketTimeoutException if the server kept the connection open that long
     */
    public String readUntilClosed(Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return received.toString();
    }

    /** True if the server sent nothing and kept the connection open for {@code period}. */
    public boolean silentFor(Duration period) throws IOException {
        socket.setSoTimeout((int) period.toMillis());
        try {
            in.read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        }
    }

    /** Reads until the received text contains {@code marker}; returns everything received. */
    public String readUntil(String marker) throws IOException {
        byte[] buffer = new byte[4096];
        while (!received.toString().contains(marker)) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("the server closed before " + marker + "; got: " + received);
            }
            received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return received.toString();
    }

    /** Closes the socket, as a client that goes away without a word. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
