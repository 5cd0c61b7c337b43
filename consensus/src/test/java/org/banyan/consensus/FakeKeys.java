package org.banyan.consensus;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.banyan.crypto.Hashes;

/**
 * Cheap deterministic test signatures: the first 8 bytes of SHA-256(secret of the replica ‖ message). Anyone who
 * knows the replica id can forge them, which is fine for a simulation whose Byzantine nodes only use their own.
 */
final class FakeKeys implements SignatureVerifier {
    static final FakeKeys VERIFIER = new FakeKeys();

    static VoteSigner signer(ReplicaId id) {
        return message -> sign(id, message);
    }

    static byte[] sign(ReplicaId id, byte[] message) {
        byte[] secret = ByteBuffer.allocate(12).putInt(0x6b657921).putLong(id.value() * 0x9E3779B97F4A7C15L).array();
        return Arrays.copyOf(Hashes.sha256(secret, message), 8);
    }

    @Override
    public boolean verify(ReplicaId signer, byte[] message, byte[] signature) {
        return Arrays.equals(sign(signer, message), signature);
    }
}
