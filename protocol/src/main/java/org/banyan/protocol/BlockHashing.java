package org.banyan.protocol;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import org.banyan.crypto.Hashes;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;

/**
 * Fabric 2.x block hashing, byte for byte, so a Banyan chain verifies with Fabric's own algorithm.
 *
 * <ul>
 *   <li>Header hash: SHA-256 over the ASN.1 DER encoding of {@code SEQUENCE { INTEGER number, OCTET
 *       STRING previousHash, OCTET STRING dataHash }} (Fabric's {@code protoutil.BlockHeaderBytes}; the
 *       number is encoded as an unsigned big integer, as Go's {@code asn1.Marshal(*big.Int)} does).
 *   <li>Data hash: SHA-256 over the concatenation of the envelope bytes in order (Fabric 2.x {@code
 *       protoutil.ComputeBlockDataHash}; 1.x used a Merkle tree, which Fabric dropped).
 * </ul>
 */
public final class BlockHashing {
    private static final int TAG_INTEGER = 0x02;
    private static final int TAG_OCTET_STRING = 0x04;
    private static final int TAG_SEQUENCE = 0x30;

    private BlockHashing() {}

    /** The DER bytes Fabric hashes for a block header. */
    public static byte[] headerBytes(BlockHeader header) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(80);
        // Two's complement with a leading zero when the top bit is set: DER INTEGER of an unsigned value.
        byte[] number = new BigInteger(Long.toUnsignedString(header.getNumber())).toByteArray();
        writeTlv(body, TAG_INTEGER, number);
        writeTlv(body, TAG_OCTET_STRING, header.getPreviousHash().toByteArray());
        writeTlv(body, TAG_OCTET_STRING, header.getDataHash().toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 4);
        writeTlv(out, TAG_SEQUENCE, body.toByteArray());
        return out.toByteArray();
    }

    /** SHA-256 of {@link #headerBytes}: the value the next block carries as its previous hash. */
    public static byte[] headerHash(BlockHeader header) {
        return Hashes.sha256(headerBytes(header));
    }

    /** SHA-256 over the concatenated envelope bytes of the block data. */
    public static byte[] dataHash(BlockData data) {
        byte[][] parts = new byte[data.getDataCount()][];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = data.getData(i).toByteArray();
        }
        return Hashes.sha256(parts);
    }

    /** Convenience for protobuf fields. */
    public static ByteString dataHashBytes(BlockData data) {
        return ByteString.copyFrom(dataHash(data));
    }

    private static void writeTlv(ByteArrayOutputStream out, int tag, byte[] value) {
        out.write(tag);
        writeLength(out, value.length);
        out.writeBytes(value);
    }

    /** DER definite length: short form below 128, otherwise 0x80|count followed by big-endian bytes. */
    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
        out.write(0x80 | bytes);
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
            out.write((length >>> shift) & 0xff);
        }
    }
}
