package org.banyan.ledger.state;

import com.google.protobuf.ByteString;
import java.util.SortedMap;

/** Short names for building state updates in tests. */
final class Updates {
    private Updates() {}

    /** A write that keeps the key's metadata. */
    static StateUpdate put(String namespace, String key, String value, long block, int tx) {
        return new StateUpdate(namespace, key, false, ByteString.copyFromUtf8(value), null, new Version(block, tx));
    }

    /** A write that replaces the key's metadata. */
    static StateUpdate put(String namespace, String key, String value, SortedMap<String, ByteString> metadata,
                           long block, int tx) {
        return new StateUpdate(namespace, key, false, ByteString.copyFromUtf8(value), metadata, new Version(block, tx));
    }

    static StateUpdate delete(String namespace, String key, long block, int tx) {
        return new StateUpdate(namespace, key, true, null, null, new Version(block, tx));
    }

    static ByteString bytes(String text) {
        return ByteString.copyFromUtf8(text);
    }
}
