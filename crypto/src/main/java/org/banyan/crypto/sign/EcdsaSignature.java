package org.banyan.crypto.sign;

import java.math.BigInteger;
import java.util.Optional;
import org.banyan.crypto.Assert;

/**
 * An ECDSA P-256 signature {@code (r, s)} and its strict DER codec. Pure and immutable.
 *
 * <p>Why Banyan parses DER itself: providers differ in what they tolerate (BER lengths, leading zeros,
 * trailing bytes) and all accept high-S. A blockchain needs one verdict for one signature on every node, so
 * {@link SignatureVerifier} runs {@link #decodeStrict} and the low-S rule before handing bytes to any provider.
 */
public record EcdsaSignature(BigInteger r, BigInteger s) {
    /** The order n of the P-256 base point. */
    public static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    /** n / 2: Fabric's bound for a canonical ("low-S") s. */
    public static final BigInteger P256_HALF_ORDER = P256_ORDER.shiftRight(1);

    /** The largest DER encoding: SEQUENCE header (2) + two INTEGERs of at most 2 + 33 bytes. */
    public static final int DER_BYTES_MAX = 72;

    private static final int INTEGER_CONTENT_BYTES_MAX = 33;

    /** Both components must be in [1, n-1]; anything else is not a P-256 signature. */
    public EcdsaSignature {
        if (!inRange(r) || !inRange(s)) {
            throw new IllegalArgumentException("r and s must be in [1, n-1]");
        }
    }

    private static boolean inRange(BigInteger v) {
        return v.signum() > 0 && v.compareTo(P256_ORDER) < 0;
    }

    /** True when s &lt;= n/2, the only form Fabric (and Banyan) accepts. */
    public boolean isLowS() {
        return s.compareTo(P256_HALF_ORDER) <= 0;
    }

    /** The same signature with s replaced by n - s when s is high; valid for the same key and message. */
    public EcdsaSignature toLowS() {
        return isLowS() ? this : new EcdsaSignature(r, P256_ORDER.subtract(s));
    }

    /** The high-S twin (n - s): verifies with a lenient provider, rejected by Banyan. For tests and tools. */
    public EcdsaSignature negateS() {
        return new EcdsaSignature(r, P256_ORDER.subtract(s));
    }

    /** The minimal DER encoding {@code SEQUENCE { INTEGER r, INTEGER s }}. */
    public byte[] encode() {
        byte[] rBytes = r.toByteArray();
        byte[] sBytes = s.toByteArray();
        int bodyBytes = 2 + rBytes.length + 2 + sBytes.length;
        byte[] out = new byte[2 + bodyBytes];
        out[0] = 0x30;
        out[1] = (byte) bodyBytes;
        int at = putInteger(out, 2, rBytes);
        at = putInteger(out, at, sBytes);
        Assert.that(at == out.length && out.length <= DER_BYTES_MAX, "encoded %d of %d bytes", at, out.length);
        return out;
    }

    private static int putInteger(byte[] out, int at, byte[] content) {
        out[at] = 0x02;
        out[at + 1] = (byte) content.length;
        System.arraycopy(content, 0, out, at + 2, content.length);
        return at + 2 + content.length;
    }

    /**
     * Decodes a DER signature, accepting only the unique minimal encoding: short-form lengths, no trailing
     * bytes, minimal positive INTEGERs, r and s in [1, n-1]. Does not check low-S.
     *
     * @return the signature, or empty for any deviation
     */
    public static Optional<EcdsaSignature> decodeStrict(byte[] der) {
        if (der == null || der.length < 8 || der.length > DER_BYTES_MAX) {
            return Optional.empty();
        }
        if (der[0] != 0x30 || (der[1] & 0xFF) != der.length - 2) {
            return Optional.empty();
        }
        int rLength = integerLength(der, 2);
        if (rLength < 0) {
            return Optional.empty();
        }
        int sAt = 2 + 2 + rLength;
        int sLength = integerLength(der, sAt);
        if (sLength < 0 || sAt + 2 + sLength != der.length) {
            return Optional.empty();
        }
        BigInteger r = new BigInteger(1, der, 4, rLength);
        BigInteger s = new BigInteger(1, der, sAt + 2, sLength);
        if (!inRange(r) || !inRange(s)) {
            return Optional.empty();
        }
        return Optional.of(new EcdsaSignature(r, s));
    }

    /** The content length of a minimal positive DER INTEGER at {@code at}, or -1 when it is not one. */
    private static int integerLength(byte[] der, int at) {
        if (at + 2 > der.length || der[at] != 0x02) {
            return -1;
        }
        int length = der[at + 1] & 0xFF;
        int content = at + 2;
        if (length == 0 || length > INTEGER_CONTENT_BYTES_MAX || content + length > der.length) {
            return -1;
        }
        if ((der[content] & 0x80) != 0) {
            return -1; // negative
        }
        if (der[content] == 0 && (length == 1 || (der[content + 1] & 0x80) == 0)) {
            return -1; // zero, or a superfluous leading zero byte
        }
        return length;
    }
}
