package org.banyan.ledger.history;

import org.banyan.ledger.storage.ByteReader;
import org.banyan.ledger.storage.ByteWriter;
import org.banyan.ledger.storage.RocksDbHandle;
import org.banyan.ledger.storage.Utf8;

/**
 * History keys in RocksDB: {@code DATA, u32 namespace length, namespace, u32 key length, key, u64 block,
 * u32 tx}, integers big-endian. The two length prefixes make one key's entries a contiguous block that no
 * other key's entries share (even "a" versus "ab", or keys holding U+0000), and big-endian non-negative
 * numbers sort like the numbers, so a prefix scan yields (block, tx) ascending.
 */
final class HistoryKeys {
    /** The bytes after the prefix: u64 block and u32 tx. */
    static final int POSITION_BYTES = 12;

    /** Where a write happened: the (block, tx) part of a history key. */
    record Position(long blockNumber, int txNumber) {}

    private HistoryKeys() {}

    /** The bytes every entry of ({@code namespace}, {@code key}) starts with. */
    static byte[] prefix(String namespace, String key) {
        return prefixWriter(namespace, key).toByteArray();
    }

    static byte[] encode(HistoryEntry entry) {
        return prefixWriter(entry.namespace(), entry.key())
                .putLongBigEndian(entry.blockNumber())
                .putIntBigEndian(entry.txNumber())
                .toByteArray();
    }

    /** The (namespace, key) of a stored history key. */
    static WrittenKey decodeKey(byte[] stored) {
        ByteReader reader = new ByteReader(stored, 1, "history key");
        String namespace = readSized(reader, "namespace");
        String key = readSized(reader, "key");
        if (reader.remaining() != POSITION_BYTES) {
            throw reader.corrupt(reader.remaining() + " bytes after the key, expected " + POSITION_BYTES);
        }
        return new WrittenKey(namespace, key);
    }

    private static String readSized(ByteReader reader, String what) {
        int length = reader.readIntBigEndian();
        if (length <= 0 || length > reader.remaining()) {
            throw reader.corrupt(what + " length " + length);
        }
        return reader.readUtf8(length);
    }

    /** Reads (block, tx) from a stored key that starts with a prefix of {@code prefixBytes} bytes. */
    static Position decodePosition(byte[] stored, int prefixBytes) {
        ByteReader reader = new ByteReader(stored, prefixBytes, "history key");
        long blockNumber = reader.readLongBigEndian();
        int txNumber = reader.readIntBigEndian();
        reader.expectEnd();
        if (blockNumber < 0 || txNumber < 0) {
            throw reader.corrupt("negative position (" + blockNumber + ", " + txNumber + ")");
        }
        return new Position(blockNumber, txNumber);
    }

    private static ByteWriter prefixWriter(String namespace, String key) {
        byte[] name = Utf8.encode(namespace, "namespace");
        byte[] keyBytes = Utf8.encode(key, "key");
        return new ByteWriter(9 + name.length + keyBytes.length + POSITION_BYTES)
                .putByte(RocksDbHandle.DATA)
                .putSizedBigEndian(name)
                .putSizedBigEndian(keyBytes);
    }
}
