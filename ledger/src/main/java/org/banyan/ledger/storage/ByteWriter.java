package org.banyan.ledger.storage;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import org.banyan.crypto.Assert;

/**
 * Builds a byte array front to back: fixed-width big-endian integers (which sort like the numbers when
 * non-negative, hence their use in keys) and unsigned LEB128 varints (compact, for values). Not thread-safe;
 * one writer per record.
 */
public final class ByteWriter {
    /** The largest Java array; a record beyond it is a bug upstream (blocks are far smaller). */
    private static final int BYTES_MAX = Integer.MAX_VALUE - 8;

    private byte[] buffer;
    private int size;

    /** @param capacityBytes a first guess of the record's size; the buffer grows as needed */
    public ByteWriter(int capacityBytes) {
        Assert.that(capacityBytes >= 0, "capacityBytes=%d", capacityBytes);
        this.buffer = new byte[Math.max(capacityBytes, 16)];
    }

    /** Appends one byte, given as 0..255. */
    public ByteWriter putByte(int unsignedByte) {
        Assert.that(unsignedByte >= 0 && unsignedByte <= 0xFF, "unsignedByte=%d", unsignedByte);
        ensure(1);
        buffer[size++] = (byte) unsignedByte;
        return this;
    }

    /** Appends 4 bytes, most significant first. */
    public ByteWriter putIntBigEndian(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** Appends 8 bytes, most significant first. */
    public ByteWriter putLongBigEndian(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** Unsigned LEB128: 7 bits a byte, low bits first, at most 10 bytes for a long. */
    public ByteWriter putVarint(long nonNegative) {
        Assert.that(nonNegative >= 0, "varint=%d is negative", nonNegative);
        long rest = nonNegative;
        while (rest >= 0x80) {
            putByte((int) (rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        return putByte((int) rest);
    }

    /** Appends the bytes as they are, without a length. */
    public ByteWriter putBytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return this;
    }

    /** Appends the bytes as they are, without a length. */
    public ByteWriter putBytes(ByteString bytes) {
        ensure(bytes.size());
        bytes.copyTo(buffer, size);
        size += bytes.size();
        return this;
    }

    /** A 4-byte big-endian length, then the bytes: self-delimiting, so two such fields never run together. */
    public ByteWriter putSizedBigEndian(byte[] bytes) {
        return putIntBigEndian(bytes.length).putBytes(bytes);
    }

    /** A varint length, then the bytes. */
    public ByteWriter putSizedVarint(byte[] bytes) {
        return putVarint(bytes.length).putBytes(bytes);
    }

    /** A varint length, then the bytes. */
    public ByteWriter putSizedVarint(ByteString bytes) {
        return putVarint(bytes.size()).putBytes(bytes);
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int moreBytes) {
        Assert.that(moreBytes >= 0 && (long) size + moreBytes <= BYTES_MAX,
                "record of %d bytes cannot grow by %d", size, moreBytes);
        if (size + moreBytes > buffer.length) {
            long doubled = Math.max(2L * buffer.length, (long) size + moreBytes);
            buffer = Arrays.copyOf(buffer, (int) Math.min(doubled, BYTES_MAX));
        }
    }
}
