package org.banyan.consensus.codec;

import java.util.Arrays;

/**
 * Reads big-endian fields from untrusted bytes. Every read checks the remaining length first and every failure
 * is a {@link MalformedMessageException} naming the field and the offset, never an index or allocation error.
 */
final class ByteReader {
    private final byte[] input;
    private final int end;
    private int position;

    ByteReader(byte[] input, int start, int end) {
        this.input = input;
        this.position = start;
        this.end = end;
    }

    int position() {
        return position;
    }

    int remaining() {
        return end - position;
    }

    MalformedMessageException malformed(String what, String format, Object... args) {
        return new MalformedMessageException(what + " at byte " + position + ": " + String.format(format, args));
    }

    void require(long bytes, String what) throws MalformedMessageException {
        if (bytes > remaining()) {
            throw malformed(what, "needs %d bytes, %d left", bytes, remaining());
        }
    }

    int u8(String what) throws MalformedMessageException {
        require(1, what);
        return input[position++] & 0xff;
    }

    /** A flag byte: exactly 0 or 1 (anything else would make two encodings of one value). */
    boolean flag(String what) throws MalformedMessageException {
        int value = u8(what);
        if (value > 1) {
            position--;
            throw malformed(what, "flag byte %d is neither 0 nor 1", value);
        }
        return value == 1;
    }

    long u32(String what) throws MalformedMessageException {
        require(4, what);
        long value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | (input[position++] & 0xff);
        }
        return value;
    }

    /** An unsigned 32-bit value that must lie in {@code [min, max]}. */
    int u32In(String what, long min, long max) throws MalformedMessageException {
        long value = u32(what);
        if (value < min || value > max) {
            position -= 4;
            throw malformed(what, "%d outside [%d, %d]", value, min, max);
        }
        return (int) value;
    }

    /** A 64-bit value that must be non-negative (rounds and heights). */
    long u64(String what) throws MalformedMessageException {
        require(8, what);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (input[position++] & 0xff);
        }
        if (value < 0) {
            position -= 8;
            throw malformed(what, "%d is negative", value);
        }
        return value;
    }

    /** {@code length} bytes; the length was bounded by the caller and is checked against what is left here. */
    byte[] bytes(int length, String what) throws MalformedMessageException {
        require(length, what);
        byte[] value = Arrays.copyOfRange(input, position, position + length);
        position += length;
        return value;
    }

    void expectEnd(String what) throws MalformedMessageException {
        if (position != end) {
            throw malformed(what, "%d trailing bytes", end - position);
        }
    }
}
