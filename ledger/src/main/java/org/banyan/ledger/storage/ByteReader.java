package org.banyan.ledger.storage;

import org.banyan.crypto.Assert;

/**
 * Reads what {@link ByteWriter} wrote, checking every length against the bytes left. Stored bytes that do
 * not fit are corruption, reported as {@link StorageException} of kind CORRUPTION, never a crash.
 */
public final class ByteReader {
    /** A long needs at most 10 LEB128 bytes; more means corruption. */
    private static final int VARINT_BYTES_MAX = 10;

    private final byte[] bytes;
    private final String record;
    private int position;

    /**
     * @param bytes the stored record; not copied, so the caller must not change it while reading
     * @param offset where to start reading
     * @param record names the record in corruption errors, for example "state value of key k"
     */
    public ByteReader(byte[] bytes, int offset, String record) {
        Assert.that(offset >= 0 && offset <= bytes.length, "offset=%d length=%d", offset, bytes.length);
        this.bytes = bytes;
        this.position = offset;
        this.record = record;
    }

    /** Bytes left to read. */
    public int remaining() {
        return bytes.length - position;
    }

    /** The offset of the next byte to read. */
    public int position() {
        return position;
    }

    /** Reads one byte as 0..255. */
    public int readByte() {
        need(1);
        return bytes[position++] & 0xFF;
    }

    /** Reads 4 bytes, most significant first. */
    public int readIntBigEndian() {
        need(4);
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | (bytes[position++] & 0xFF);
        }
        return value;
    }

    /** Reads 8 bytes, most significant first. */
    public long readLongBigEndian() {
        need(8);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[position++] & 0xFF);
        }
        return value;
    }

    /** Reads an unsigned LEB128 varint that must fit a non-negative long. */
    public long readVarint() {
        long value = 0;
        for (int i = 0; i < VARINT_BYTES_MAX; i++) {
            int b = readByte();
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (value < 0 || (i == VARINT_BYTES_MAX - 1 && b > 1)) {
                    throw corrupt("varint overflows a long");
                }
                return value;
            }
        }
        throw corrupt("varint longer than " + VARINT_BYTES_MAX + " bytes");
    }

    /** A varint that must lie in {@code [0, max]}. */
    public int readVarintInt(int max, String field) {
        long value = readVarint();
        if (value > max) {
            throw corrupt(field + "=" + value + " exceeds " + max);
        }
        return (int) value;
    }

    /** Reads {@code length} bytes into a new array. */
    public byte[] readBytes(int length) {
        need(length);
        byte[] copy = new byte[length];
        System.arraycopy(bytes, position, copy, 0, length);
        position += length;
        return copy;
    }

    /** Reads UTF-8 text of {@code length} bytes. */
    public String readUtf8(int length) {
        need(length);
        String text = Utf8.decode(bytes, position, length);
        position += length;
        return text;
    }

    /** The record must end here; trailing bytes mean the writer and reader disagree, or corruption. */
    public void expectEnd() {
        if (remaining() != 0) {
            throw corrupt(remaining() + " trailing bytes");
        }
    }

    /** A corruption error naming this record and the position. */
    public StorageException corrupt(String problem) {
        return StorageException.corrupt(record + " at byte " + position + ": " + problem);
    }

    private void need(int length) {
        if (length < 0 || length > remaining()) {
            throw corrupt("needs " + length + " bytes, " + remaining() + " left");
        }
    }
}
