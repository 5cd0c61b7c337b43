package org.banyan.protocol;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.banyan.crypto.Hashes;

/** Fabric transaction IDs and nonces. */
public final class TxIds {
    /** Fabric's {@code crypto.NonceSize}: clients send 24 random bytes. */
    public static final int NONCE_BYTES = 24;

    private TxIds() {}

    /** Fabric's {@code protoutil.ComputeTxID}: lowercase hex of SHA-256(nonce ‖ serialized creator). */
    public static String compute(byte[] nonce, byte[] creator) {
        return HexFormat.of().formatHex(Hashes.sha256(nonce, creator));
    }

    /** A fresh nonce. Randomness is an input so that callers in deterministic code can pass a seeded source. */
    public static byte[] newNonce(SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }
}
