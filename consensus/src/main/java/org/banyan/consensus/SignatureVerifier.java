package org.banyan.consensus;

/** Checks a consenter's signature. Must be deterministic and side-effect free; may cache. */
public interface SignatureVerifier {
    boolean verify(ReplicaId signer, byte[] message, byte[] signature);
}
