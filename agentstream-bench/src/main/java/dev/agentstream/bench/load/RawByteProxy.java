package dev.agentstream.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The limit the server is compared with: for each accepted connection it opens one to the
 * upstream and copies bytes both ways (a virtual thread per direction) until either side closes,
 * then closes both. It forwards the HTTP request and the streamed response and does nothing else.
 *
 * <p>Usage: {@code RawByteProxy --upstream 127.0.0.1:port [--port 0] [--port-file f]}.
 */
public final class RawByteProxy {

    private static final int BUFFER = 8 * 1024;

    private RawByteProxy() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String[] upstream = args.required("upstream").split(":");
        InetSocketAddress target = new InetSocketAddress(upstream[0], Integer.parseInt(upstream[1]));
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), args.integer("port", 0)), 8192);
        String portFile = args.get("port-file", null);
        if (portFile != null) {
            Files.writeString(Path.of(portFile), Integer.toString(server.getLocalPort()));
        }
        System.out.println("raw byte proxy on 127.0.0.1:" + server.getLocalPort() + " -> " + target);
        while (true) {
            Socket client = server.accept();
            Thread.ofVirtual().name("proxy-conn").start(() -> connect(client, target));
        }
    }

    private static void connect(Socket client, InetSocketAddress target) {
        Socket upstream = new Socket();
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(target, 5_000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        Thread.ofVirtual().name("proxy-up").start(() -> copy(client, upstream));
        copy(upstream, client);
    }

    /** Copies {@code from} to {@code to} until one ends, then closes both so the other direction ends too. */
    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
