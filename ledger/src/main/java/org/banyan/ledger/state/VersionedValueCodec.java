package org.banyan.ledger.state;

import com.google.protobuf.ByteString;
import java.util.Map;
import java.util.TreeMap;
import org.banyan.ledger.storage.ByteReader;
import org.banyan.ledger.storage.ByteWriter;
import org.banyan.ledger.storage.Utf8;

/**
 * The stored form of a {@link VersionedValue}: {@code FORMAT, varint block, varint tx, varint value length,
 * value, varint metadata count, then per entry in name order: varint name length, name UTF-8, varint value
 * length, value}. Deterministic: one value has one encoding.
 */
final class VersionedValueCodec {
    /** The first byte of every record; a new layout gets a new number. */
    static final int FORMAT = 1;
    /** Fabric metadata holds a handful of entries (today one: the validation parameter). */
    static final int METADATA_ENTRIES_MAX = 1_024;

    private VersionedValueCodec() {}

    static byte[] encode(VersionedValue value) {
        if (value.metadata().size() > METADATA_ENTRIES_MAX) {
            throw new IllegalArgumentException("metadata has " + value.metadata().size()
                    + " entries, more than " + METADATA_ENTRIES_MAX);
        }
        ByteWriter writer = new ByteWriter(16 + value.value().size())
                .putByte(FORMAT)
                .putVarint(value.version().blockNumber())
                .putVarint(value.version().txNumber())
                .putSizedVarint(value.value())
                .putVarint(value.metadata().size());
        // Natural String order, whatever comparator the caller's map had: the decoder checks this order.
        TreeMap<String, ByteString> sorted = new TreeMap<>();
        sorted.putAll(value.metadata());
        for (Map.Entry<String, ByteString> entry : sorted.entrySet()) {
            writer.putSizedVarint(Utf8.encode(entry.getKey(), "metadata name"))
                    .putSizedVarint(entry.getValue());
        }
        return writer.toByteArray();
    }

    /**
     * @param record names the record in corruption errors
     * @throws org.banyan.ledger.storage.StorageException of kind CORRUPTION when the bytes do not decode
     */
    static VersionedValue decode(byte[] stored, String record) {
        ByteReader reader = new ByteReader(stored, 0, record);
        int format = reader.readByte();
        if (format != FORMAT) {
            throw reader.corrupt("unknown format " + format);
        }
        long blockNumber = reader.readVarint();
        int txNumber = reader.readVarintInt(Integer.MAX_VALUE, "tx number");
        ByteString value = ByteString.copyFrom(reader.readBytes(reader.readVarintInt(reader.remaining(), "value length")));
        int count = reader.readVarintInt(METADATA_ENTRIES_MAX, "metadata count");
        TreeMap<String, ByteString> metadata = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String name = reader.readUtf8(reader.readVarintInt(reader.remaining(), "metadata name length"));
            if (!metadata.isEmpty() && metadata.lastKey().compareTo(name) >= 0) {
                throw reader.corrupt("metadata names out of order at \"" + name + "\"");
            }
            int length = reader.readVarintInt(reader.remaining(), "metadata value length");
            metadata.put(name, ByteString.copyFrom(reader.readBytes(length)));
        }
        reader.expectEnd();
        return new VersionedValue(value, new Version(blockNumber, txNumber), metadata);
    }
}
