package org.banyan.node.consensus;

import org.banyan.consensus.VoteSigner;
import org.banyan.crypto.SigningIdentity;

/** Signs votes and timeouts with the node's orderer identity (the consenter's {@code identity} in the config). */
public final class MspVoteSigner implements VoteSigner {
    private final SigningIdentity identity;

    public MspVoteSigner(SigningIdentity identity) {
        this.identity = identity;
    }

    @Override
    public byte[] sign(byte[] message) {
        return identity.sign(message);
    }
}
