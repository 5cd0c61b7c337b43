package org.banyan.consensus;

import java.util.Arrays;

/** One replica's signed timeout inside a TC: it gave up on the TC's round holding a QC of {@code highQcRound}. */
public record TimeoutSignature(ReplicaId signer, Round highQcRound, byte[] signature) {
    public TimeoutSignature {
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeoutSignature s && signer.equals(s.signer) && highQcRound.equals(s.highQcRound)
                && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return signer.hashCode() * 31 + Arrays.hashCode(signature);
    }
}
