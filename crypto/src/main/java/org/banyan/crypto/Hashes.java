package org.banyan.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the one hash Fabric's block and transaction formats use. Thread-safe. */
public final class Hashes {
    public static final int SHA256_BYTES = 32;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    private Hashes() {}

    /** SHA-256 over the concatenation of the parts, without copying them together. */
    public static byte[] sha256(byte[]... parts) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }
}
