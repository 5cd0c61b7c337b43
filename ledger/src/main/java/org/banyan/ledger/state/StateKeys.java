package org.banyan.ledger.state;

import org.banyan.ledger.storage.ByteReader;
import org.banyan.ledger.storage.ByteWriter;
import org.banyan.ledger.storage.RocksDbHandle;
import org.banyan.ledger.storage.Utf8;

/**
 * State keys in RocksDB: {@code DATA, u32 namespace length, namespace UTF-8, key UTF-8}. The length prefix
 * gives each namespace its own contiguous block of keys ("a" and "ab" never interleave), and within it keys
 * sort by their UTF-8 bytes, which is Fabric's order.
 */
final class StateKeys {
    private StateKeys() {}

    /** The bytes every key of {@code namespace} starts with. */
    static byte[] prefix(String namespace) {
        byte[] name = Utf8.encode(namespace, "namespace");
        return new ByteWriter(5 + name.length).putByte(RocksDbHandle.DATA).putSizedBigEndian(name).toByteArray();
    }

    static byte[] encode(String namespace, String key) {
        byte[] name = Utf8.encode(namespace, "namespace");
        byte[] keyBytes = Utf8.encode(key, "key");
        return new ByteWriter(5 + name.length + keyBytes.length).putByte(RocksDbHandle.DATA)
                .putSizedBigEndian(name).putBytes(keyBytes).toByteArray();
    }

    /** The namespace of a stored state key. */
    static String decodeNamespace(byte[] stored) {
        ByteReader reader = new ByteReader(stored, 1, "state key");
        int length = reader.readIntBigEndian();
        if (length <= 0 || length > reader.remaining()) {
            throw reader.corrupt("namespace length " + length);
        }
        return reader.readUtf8(length);
    }

    /** The key of a stored key that starts with a prefix of {@code prefixBytes} bytes. */
    static String decodeKey(byte[] stored, int prefixBytes) {
        return Utf8.decode(stored, prefixBytes, stored.length - prefixBytes);
    }
}
