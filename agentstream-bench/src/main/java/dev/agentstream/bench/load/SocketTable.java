package dev.agentstream.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Open TCP connections on one local port, from the kernel's tables ({@code /proc/<pid>/net/tcp} and
 * {@code tcp6}): those the server still holds a socket for (established, half-open, or closed by the
 * client but not yet by the server), not the listener and not sockets only the kernel keeps.
 */
final class SocketTable {

    /** ESTABLISHED, SYN_RECV and CLOSE_WAIT in the kernel's hexadecimal state codes. */
    private static final Set<String> HELD = Set.of("01", "03", "08");

    private final long pid;
    private final int port;

    SocketTable(long pid, int port) {
        this.pid = pid;
        this.port = port;
    }

    int openConnections() throws IOException {
        int count = 0;
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                // "sl local_address rem_address st ...": local is HEXADDR:HEXPORT.
                String[] fields = line.trim().split("\\s+");
                String local = fields[1];
                int localPort = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                if (localPort == port && HELD.contains(fields[3])) {
                    count++;
                }
            }
        }
        return count;
    }
}
