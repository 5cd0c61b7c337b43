package org.banyan.ledger.state;

import com.google.protobuf.ByteString;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Collections;

/**
 * A key's current value, the version that wrote it, and its metadata (for example Fabric's
 * {@code VALIDATION_PARAMETER}, the key-level endorsement policy). Metadata is sorted by name so that
 * encoding it is deterministic.
 */
public record VersionedValue(ByteString value, Version version, SortedMap<String, ByteString> metadata) {
    public VersionedValue {
        metadata = Collections.unmodifiableSortedMap(new TreeMap<>(metadata));
    }
}
