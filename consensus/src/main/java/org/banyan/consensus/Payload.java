package org.banyan.consensus;

import java.nio.charset.StandardCharsets;
import org.banyan.crypto.Assert;

/**
 * An opaque payload the core orders (for the node, a Fabric envelope). Identified by {@link #payloadId()} (the
 * transaction id) for deduplication, and bound into block ids by the SHA-256 {@link #digest()} of its bytes.
 */
public final class Payload {
    public static final int PAYLOAD_ID_CHARS_MAX = 256;

    private final String payloadId;
    private final byte[] bytes;
    private final Digest digest;

    public Payload(String payloadId, byte[] bytes) {
        Assert.that(!payloadId.isEmpty() && payloadId.length() <= PAYLOAD_ID_CHARS_MAX, "payloadIdChars=%d",
                payloadId.length());
        this.payloadId = payloadId;
        this.bytes = bytes.clone();
        this.digest = Digest.sha256(payloadId.getBytes(StandardCharsets.UTF_8), this.bytes);
    }

    public String payloadId() {
        return payloadId;
    }

    /** A copy of the payload bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int sizeBytes() {
        return bytes.length;
    }

    public Digest digest() {
        return digest;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Payload p && digest.equals(p.digest);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "Payload[" + payloadId + "]";
    }
}
