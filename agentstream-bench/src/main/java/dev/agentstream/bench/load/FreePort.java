package dev.agentstream.bench.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Prints a loopback port that was free a moment ago, for the script to hand to a server. */
public final class FreePort {

    private FreePort() {
    }

    public static void main(String[] args) throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            System.out.println(socket.getLocalPort());
        }
    }
}
