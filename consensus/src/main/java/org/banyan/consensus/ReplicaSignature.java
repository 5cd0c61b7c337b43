package org.banyan.consensus;

import java.util.Arrays;

/** One replica's signature inside a certificate. */
public record ReplicaSignature(ReplicaId signer, byte[] signature) {
    public ReplicaSignature {
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplicaSignature s && signer.equals(s.signer) && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return signer.hashCode() * 31 + Arrays.hashCode(signature);
    }
}
