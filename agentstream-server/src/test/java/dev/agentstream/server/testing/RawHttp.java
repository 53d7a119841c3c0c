package dev.agentstream.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

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
        Socket socket = connect(base, receiveBufferBytes);
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
        Socket socket = connect(base, receiveBufferBytes);
        String head = "GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
            + "\r\nAccept: text/event-stream\r\n\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new RawHttp(socket);
    }

    private static Socket connect(URI base, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        if (receiveBufferBytes > 0) {
            // Before connecting: the window the client offers is fixed by the buffer it has then.
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()));
        return socket;
    }

    /**
     * Reads whatever the server still sends until it closes the connection, waiting at most
     * {@code timeout} between reads. Returns everything received.
     *
     * @throws java.net.SocketTimeoutException if the server neither sends nor closes for that long
     */
    public String readToEnd(java.time.Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        byte[] buffer = new byte[65536];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return received.toString();
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
