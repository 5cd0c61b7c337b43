package org.banyan.consensus;

import java.util.Arrays;
import java.util.HexFormat;
import org.banyan.crypto.Assert;
import org.banyan.crypto.Hashes;

/** A 32-byte SHA-256 digest: block ids and payload digests. Immutable; compares as unsigned bytes. */
public final class Digest implements Comparable<Digest> {
    public static final Digest ZERO = new Digest(new byte[Hashes.SHA256_BYTES]);

    private final byte[] bytes;

    private Digest(byte[] bytes) {
        Assert.that(bytes.length == Hashes.SHA256_BYTES, "digestBytes=%d", bytes.length);
        this.bytes = bytes;
    }

    /** Wraps a copy of {@code bytes}, which must be 32 bytes long. */
    public static Digest of(byte[] bytes) {
        return new Digest(bytes.clone());
    }

    /** SHA-256 over the concatenation of the parts. */
    public static Digest sha256(byte[]... parts) {
        return new Digest(Hashes.sha256(parts));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] bytesUnsafe() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && Arrays.equals(bytes, d.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Digest other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes, 0, 4);
    }
}
