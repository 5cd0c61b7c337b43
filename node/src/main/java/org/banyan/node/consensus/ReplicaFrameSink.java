package org.banyan.node.consensus;

import org.banyan.consensus.ReplicaId;

/** Takes one channel's consensus frames, the sender already mapped to its replica id. Must not block. */
@FunctionalInterface
public interface ReplicaFrameSink {
    void onFrame(ReplicaId from, byte[] frame);
}
