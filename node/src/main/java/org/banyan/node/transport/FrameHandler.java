package org.banyan.node.transport;

/**
 * Receives inbound frames, one at a time, on the server's single dispatcher thread. It should be quick (hand
 * the frame to the node's event loop); while it runs, further frames wait in the bounded inbound queue.
 */
@FunctionalInterface
public interface FrameHandler {
    void onFrame(InboundFrame frame);
}
