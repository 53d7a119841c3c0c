package dev.agentstream.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on a free loopback port in front of a server, whose connections a test can cut all at
 * once: the browser sees its streams break as on a network failure, while the server sees a client
 * that went away. New connections are relayed as before, unless the test makes the proxy refuse
 * them ({@link #refuse}): then the server behind it looks down until {@link #relay} (a database
 * that went away and came back, say). Or the test silences the proxy ({@link #silence}): connections
 * stay open but carry nothing more, as behind a network that drops packets; those stay silent until
 * a side closes them (their client gave up), while after {@link #relay} new connections are relayed again.
 *
 * <p>Thread contract: thread-safe; one virtual thread per direction of each connection.
 */
public final class CuttableProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean refusing;
    private volatile boolean silencing;
    /**
     * Connections silenced: their pumps swallow what they read and pass nothing on, but still see a
     * side close, so the server behind learns of a client that gave up (and drops its locks).
     */
    private final Set<Socket> silenced = ConcurrentHashMap.newKeySet();

    private CuttableProxy(URI target) throws IOException {
        this.target = new InetSocketAddress(target.getHost(), target.getPort());
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().name("proxy-accept").start(this::acceptLoop);
    }

    /** A proxy to {@code server}'s host and port. */
    public static CuttableProxy to(URI server) {
        try {
            return new CuttableProxy(server);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The proxy's base URI, e.g. {@code http://127.0.0.1:41234/}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
    }

    /** The port the proxy listens on. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Breaks every connection now open, both ways. */
    public void cutAll() {
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    /** Cuts every connection and resets new ones at once, as if the server behind went down. */
    public void refuse() {
        refusing = true;
        cutAll();
    }

    /**
     * Stops passing bytes on every connection now open and on new ones (accepted, then silent),
     * without closing any: reads wait for an answer that never comes, as when a database's packets
     * are dropped rather than refused.
     */
    public void silence() {
        silencing = true;
        silenced.addAll(open);
    }

    /** Relays new connections again, as if the server behind came back; silenced ones stay silent. */
    public void relay() {
        refusing = false;
        silencing = false;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (refusing) {
                    closeQuietly(client);
                    continue;
                }
                accepted.incrementAndGet();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                if (silencing) {
                    silenced.add(client);
                    silenced.add(upstream);
                }
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                // Closed while accepting, or the server refused: the client sees a reset.
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (silenced.contains(from)) {
                    continue;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // One side went away: close both below.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        silenced.remove(socket);
        try {
            // RST rather than FIN: the browser must see a broken connection, not a finished response.
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        cutAll();
        acceptor.interrupt();
    }
}
