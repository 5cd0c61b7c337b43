package org.banyan.node.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Which TCP ports on 127.0.0.1 cannot be listened on right now, found by binding each for a moment. The answer is a
 * snapshot: another process may take a port the moment after; it lets a caller refuse before starting anything rather
 * than fail half-way.
 */
public final class LoopbackPorts {
    /**
     * A port that could not be bound.
     *
     * @param reason the operating system's answer, e.g. {@code Address already in use}
     */
    public record Busy(int port, String reason) {}

    private LoopbackPorts() {}

    /** The ports of {@code ports} that cannot be bound on 127.0.0.1, in the given order; empty when all are free. */
    public static List<Busy> busy(List<Integer> ports) {
        List<Busy> busy = new ArrayList<>();
        for (int port : ports) {
            if (port < 1 || port > 65_535) {
                busy.add(new Busy(port, "not a TCP port (1-65535)"));
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                // As the node's servers bind: a port left in TIME_WAIT by an earlier run is free for them.
                socket.setReuseAddress(true);
                socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            } catch (IOException e) {
                busy.add(new Busy(port, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        return List.copyOf(busy);
    }
}
