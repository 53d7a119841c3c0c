package dev.agentstream.bench.load;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * The server nodes a load run spreads its streams over, as a load balancer without sticky sessions
 * would: stream {@code i} starts on node {@code i mod n}. With {@code crossRead}, it is read on the
 * next node instead (its run executes on one node, its reader sits on another), and a stop goes to
 * the node that does not own the run either way, so with two nodes every stop crosses nodes.
 */
record Nodes(List<URI> bases, boolean crossRead) {

    /** {@code --url} is one base URL or several, comma-separated. */
    static Nodes parse(String urls, boolean crossRead) {
        List<URI> bases = Arrays.stream(urls.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(URI::create).toList();
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("--url: no base URL");
        }
        if (crossRead && bases.size() < 2) {
            throw new IllegalArgumentException("--cross-read needs at least two --url nodes");
        }
        return new Nodes(bases, crossRead);
    }

    URI owner(int stream) {
        return bases.get(stream % bases.size());
    }

    URI reader(int stream) {
        return crossRead ? bases.get((stream + 1) % bases.size()) : owner(stream);
    }

    /** Where a stop of the stream's run is sent: another node than its owner when there are several. */
    URI stopper(int stream) {
        return bases.get((stream + 1) % bases.size());
    }

    static InetSocketAddress address(URI base) {
        return new InetSocketAddress(base.getHost(), base.getPort());
    }

    String label() {
        return bases.size() == 1 ? "" : bases.size() + " nodes" + (crossRead ? ", read on another node" : "");
    }
}
