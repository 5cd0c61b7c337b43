package org.banyan.consensus;

/** Signs votes and timeouts with this replica's consenter key (the node plugs in its MSP identity). */
public interface VoteSigner {
    byte[] sign(byte[] message);
}
