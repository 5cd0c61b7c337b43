package org.banyan.ledger.state;

import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.banyan.ledger.storage.Savepoints;
import org.banyan.ledger.storage.Utf8;

/** Checks the arguments of {@link StateStore#apply} before anything is written, the same way for every store. */
final class StateUpdates {
    private StateUpdates() {}

    private record NamespacedKey(String namespace, String key) {}

    /**
     * @throws IllegalStateException when {@code blockNumber <= savepoint} (see {@link Savepoints})
     * @throws IllegalArgumentException when the block number is negative, the list is null or longer than
     *     {@link StateStore#UPDATES_PER_BLOCK_MAX}, or an update is malformed: null; empty or non-Unicode
     *     namespace or key; a write without a value; a version of another block; too much metadata; or a
     *     second update of the same key (the caller reduces a block to one final update per key)
     */
    static void check(String store, long savepoint, long blockNumber, List<StateUpdate> updates) {
        Savepoints.checkNext(store, savepoint, blockNumber);
        if (updates == null || updates.size() > StateStore.UPDATES_PER_BLOCK_MAX) {
            throw new IllegalArgumentException("block " + blockNumber + ": updates must be a list of at most "
                    + StateStore.UPDATES_PER_BLOCK_MAX);
        }
        Set<NamespacedKey> seen = new HashSet<>();
        for (StateUpdate update : updates) {
            if (update == null) {
                throw new IllegalArgumentException("block " + blockNumber + ": null update");
            }
            checkOne(blockNumber, update);
            if (!seen.add(new NamespacedKey(update.namespace(), update.key()))) {
                throw new IllegalArgumentException("block " + blockNumber + ": key " + update.namespace() + "/"
                        + update.key() + " is updated twice");
            }
        }
    }

    private static void checkOne(long blockNumber, StateUpdate update) {
        Utf8.checkNonEmpty(update.namespace(), "namespace");
        // Fabric rejects empty keys too; here it also keeps "" free to mean "no bookmark".
        Utf8.checkNonEmpty(update.key(), "key");
        String where = "block " + blockNumber + ", key " + update.namespace() + "/" + update.key();
        if (update.version() == null || update.version().blockNumber() != blockNumber) {
            throw new IllegalArgumentException(where + ": version " + update.version()
                    + " is not of this block");
        }
        if (update.delete()) {
            return;
        }
        if (update.value() == null) {
            throw new IllegalArgumentException(where + ": a write needs a value");
        }
        Map<String, ByteString> metadata = update.metadata();
        if (metadata != null) {
            if (metadata.size() > VersionedValueCodec.METADATA_ENTRIES_MAX) {
                throw new IllegalArgumentException(where + ": more than "
                        + VersionedValueCodec.METADATA_ENTRIES_MAX + " metadata entries");
            }
            for (Map.Entry<String, ByteString> entry : metadata.entrySet()) {
                Utf8.check(entry.getKey(), "metadata name");
                if (entry.getValue() == null) {
                    throw new IllegalArgumentException(where + ": metadata " + entry.getKey() + " has no value");
                }
            }
        }
    }
}
