package org.banyan.consensus.codec;

import java.util.Arrays;
import org.banyan.crypto.Assert;

/** A growable big-endian byte buffer; encoding only (the values are ours, so a bad one is a caller's bug). */
final class ByteWriter {
    private byte[] buffer = new byte[256];
    private int size;

    private void ensure(int extra) {
        Assert.that(extra >= 0 && size + (long) extra <= CodecLimits.MESSAGE_BYTES_CAP + 64L, "size=%d extra=%d",
                size, extra);
        if (size + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(Math.max(buffer.length * 2L, size + (long) extra),
                    Integer.MAX_VALUE - 16));
        }
    }

    ByteWriter u8(int value) {
        Assert.that(value >= 0 && value <= 0xff, "u8=%d", value);
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    ByteWriter u32(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    ByteWriter u64(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    ByteWriter bytes(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, buffer, size, value.length);
        size += value.length;
        return this;
    }

    int size() {
        return size;
    }

    /** The bytes written so far, as a new array of exactly that length. */
    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }
}
