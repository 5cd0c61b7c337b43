package org.banyan.ledger;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.banyan.ledger.history.HistoryEntry;
import org.banyan.ledger.state.StateUpdate;
import org.banyan.ledger.state.Version;
import org.banyan.ledger.state.VersionedValue;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;

/**
 * What one block changes: its state updates and history entries, computed from its VALID transactions in
 * order. Pure given the committed state it reads. Rules, matching Fabric's committer ({@code
 * core/ledger/kvledger/txmgmt/txmgr}, {@code txOps}):
 *
 * <ol>
 *   <li>The last VALID transaction in the block to touch a key decides its final value (last write wins).
 *   <li>A value write keeps the key's existing metadata unless the same transaction writes metadata too.
 *   <li>A delete removes the key and its metadata; a metadata write in the same transaction is ignored.
 *   <li>A metadata-only write keeps the key's current value and takes the transaction's version; on a key
 *       that does not exist it is ignored.
 *   <li>History records every key write and delete of a VALID transaction (not metadata-only writes), once
 *       per transaction and key.
 * </ol>
 *
 * @param stateUpdates one per key changed, sorted by (namespace, key)
 * @param historyEntries in (tx, write) order
 */
public record BlockUpdates(long blockNumber, List<StateUpdate> stateUpdates, List<HistoryEntry> historyEntries) {

    /** A key's pending change while the block is processed. {@code metadata == null} keeps the committed one. */
    private record Pending(boolean delete, ByteString value, SortedMap<String, ByteString> metadata, Version version) {}

    /**
     * Computes the block's updates.
     *
     * @param committed state as of the previous block (read for metadata-only writes)
     * @throws InvalidBlockException when a VALID transaction cannot be parsed
     */
    public static BlockUpdates compute(Block block, StateReader committed) {
        long number = block.getHeader().getNumber();
        List<ValidWrites> writes = ValidWrites.of(block);
        Builder builder = new Builder(number, committed);
        for (ValidWrites write : writes) {
            builder.add(write.txIndex(), write.namespace(), write.rwSet());
        }
        return new BlockUpdates(number, builder.stateUpdates(), historyOf(number, writes));
    }

    /** Only the history entries: history replay needs no state. */
    public static List<HistoryEntry> history(Block block) {
        return historyOf(block.getHeader().getNumber(), ValidWrites.of(block));
    }

    /**
     * Accumulates a block's state updates one VALID transaction at a time, by the rules above. The validator
     * uses it to see the writes of the block's earlier valid transactions (Fabric's in-block update batch) while
     * it checks the next one, so validation and commit agree on what a block changes. Not thread-safe.
     */
    public static final class Builder {
        private final long blockNumber;
        private final StateReader committed;
        private final TreeMap<NamespacedKey, Pending> pending = new TreeMap<>();

        /** @param committed state as of the previous block */
        public Builder(long blockNumber, StateReader committed) {
            this.blockNumber = blockNumber;
            this.committed = committed;
        }

        /** Applies one namespace's read/write set of the VALID transaction {@code txIndex}. */
        public void add(int txIndex, String namespace, KVRWSet rwSet) {
            applyTx(new Version(blockNumber, txIndex), namespace, rwSet, pending, committed);
        }

        /** The key's pending change, or empty when no transaction added so far changed it. */
        public Optional<StateUpdate> pending(String namespace, String key) {
            Pending change = pending.get(new NamespacedKey(namespace, key));
            return change == null ? Optional.empty() : Optional.of(update(namespace, key, change));
        }

        /** The pending changes of one namespace, in no particular order. */
        public List<StateUpdate> pending(String namespace) {
            List<StateUpdate> updates = new ArrayList<>();
            for (Map.Entry<NamespacedKey, Pending> entry : pending.tailMap(new NamespacedKey(namespace, ""), true).entrySet()) {
                if (!entry.getKey().namespace().equals(namespace)) {
                    break;
                }
                updates.add(update(namespace, entry.getKey().key(), entry.getValue()));
            }
            return updates;
        }

        /** One update per key changed, sorted by (namespace, key). */
        public List<StateUpdate> stateUpdates() {
            List<StateUpdate> updates = new ArrayList<>(pending.size());
            for (Map.Entry<NamespacedKey, Pending> entry : pending.entrySet()) {
                updates.add(update(entry.getKey().namespace(), entry.getKey().key(), entry.getValue()));
            }
            return List.copyOf(updates);
        }

        private static StateUpdate update(String namespace, String key, Pending change) {
            return new StateUpdate(namespace, key, change.delete(), change.value(), change.metadata(), change.version());
        }
    }

    private static void applyTx(Version version, String namespace, KVRWSet rwSet,
                                TreeMap<NamespacedKey, Pending> pending, StateReader committed) {
        Set<String> deletedHere = new HashSet<>();
        for (KVWrite kv : rwSet.getWritesList()) {
            NamespacedKey key = new NamespacedKey(namespace, kv.getKey());
            if (kv.getIsDelete()) {
                deletedHere.add(kv.getKey());
                pending.put(key, new Pending(true, ByteString.EMPTY, null, version));
                continue;
            }
            deletedHere.remove(kv.getKey());
            Pending previous = pending.get(key);
            SortedMap<String, ByteString> metadata = previous == null ? null
                    : previous.delete() ? new TreeMap<>() : previous.metadata();
            pending.put(key, new Pending(false, kv.getValue(), metadata, version));
        }
        for (KVMetadataWrite metadataWrite : rwSet.getMetadataWritesList()) {
            if (deletedHere.contains(metadataWrite.getKey())) {
                continue;
            }
            NamespacedKey key = new NamespacedKey(namespace, metadataWrite.getKey());
            currentValue(key, pending, committed).ifPresent(value ->
                    pending.put(key, new Pending(false, value, metadataOf(metadataWrite), version)));
        }
    }

    /** The key's value as of the transactions processed so far, or empty when it does not exist. */
    private static Optional<ByteString> currentValue(NamespacedKey key, Map<NamespacedKey, Pending> pending,
                                                     StateReader committed) {
        Pending previous = pending.get(key);
        if (previous != null) {
            return previous.delete() ? Optional.empty() : Optional.of(previous.value());
        }
        return committed.get(key.namespace(), key.key()).map(VersionedValue::value);
    }

    private static SortedMap<String, ByteString> metadataOf(KVMetadataWrite write) {
        SortedMap<String, ByteString> metadata = new TreeMap<>();
        for (KVMetadataEntry entry : write.getEntriesList()) {
            metadata.put(entry.getName(), entry.getValue());
        }
        return metadata;
    }

    private static List<HistoryEntry> historyOf(long number, List<ValidWrites> writes) {
        List<HistoryEntry> entries = new ArrayList<>();
        for (ValidWrites write : writes) {
            // Fabric's history key is (namespace, key, block, tx): a key written twice in one tx is one entry.
            LinkedHashSet<String> seen = new LinkedHashSet<>();
            for (KVWrite kv : write.rwSet().getWritesList()) {
                if (seen.add(kv.getKey())) {
                    entries.add(new HistoryEntry(write.namespace(), kv.getKey(), number, write.txIndex(),
                            lastIsDelete(write.rwSet(), kv.getKey())));
                }
            }
        }
        return List.copyOf(entries);
    }

    private static boolean lastIsDelete(KVRWSet rwSet, String key) {
        boolean delete = false;
        for (KVWrite kv : rwSet.getWritesList()) {
            if (kv.getKey().equals(key)) {
                delete = kv.getIsDelete();
            }
        }
        return delete;
    }
}
