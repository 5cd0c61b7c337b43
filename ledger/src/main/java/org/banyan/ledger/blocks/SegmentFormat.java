package org.banyan.ledger.blocks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.banyan.crypto.Assert;

/**
 * The on-disk layout of segment files. Pure functions only.
 *
 * <pre>
 * segment file  = header record*
 * header        = magic "BNYB" (4 bytes) | u32 format version (= 1)            -- 8 bytes
 * record        = u32 payload length | u32 CRC32C of payload | payload          -- big-endian integers
 * payload       = the encoded common.Block (protobuf)
 * </pre>
 *
 * Files are named {@code segment-000000.blk}, {@code segment-000001.blk}, ... and numbered from 0 without
 * gaps. The magic catches a file that is not a segment; the version leaves room to change the framing.
 */
public final class SegmentFormat {
    /** "BNYB". */
    public static final int MAGIC = 0x424E5942;
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 8;
    /** Length and checksum in front of each payload. */
    public static final int FRAME_BYTES = 8;
    /** A Fabric block is bounded by the orderer's batch size; this is a sanity limit on the length field. */
    public static final int RECORD_BYTES_MAX_DEFAULT = 256 * 1024 * 1024;

    private static final Pattern NAME = Pattern.compile("segment-(\\d{6})\\.blk");

    private SegmentFormat() {}

    /** The file name of segment {@code number}. */
    public static String fileName(int number) {
        Assert.that(number >= 0 && number <= 999_999, "segment number %d", number);
        return String.format("segment-%06d.blk", number);
    }

    /** The segment number of a file name, or empty when the name is not a segment's. */
    public static Optional<Integer> parseFileName(String name) {
        Matcher matcher = NAME.matcher(name);
        return matcher.matches() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
    }

    /** The 8-byte segment header. */
    public static ByteBuffer header() {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        header.putInt(MAGIC).putInt(VERSION).flip();
        return header;
    }

    /** True when the bytes are a header this code can read. */
    public static boolean isValidHeader(ByteBuffer header) {
        return header.remaining() >= HEADER_BYTES && header.getInt(header.position()) == MAGIC
                && header.getInt(header.position() + 4) == VERSION;
    }

    /** Frame plus payload, ready to write in one call. */
    public static ByteBuffer encodeRecord(byte[] payload) {
        Assert.that(payload.length > 0, "empty payload");
        ByteBuffer record = ByteBuffer.allocate(FRAME_BYTES + payload.length).order(ByteOrder.BIG_ENDIAN);
        record.putInt(payload.length).putInt(crc32c(payload, 0, payload.length)).put(payload).flip();
        return record;
    }

    /** CRC32C (Castagnoli), hardware-accelerated in the JDK. Returned as the u32 bit pattern. */
    public static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
