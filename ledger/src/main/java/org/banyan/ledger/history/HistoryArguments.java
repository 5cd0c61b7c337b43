package org.banyan.ledger.history;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.banyan.ledger.storage.Savepoints;
import org.banyan.ledger.storage.Utf8;

/** Checks the arguments of {@link HistoryStore} calls before anything is read or written, for every store. */
final class HistoryArguments {
    private HistoryArguments() {}

    private record Write(String namespace, String key, int txNumber) {}

    /**
     * @throws IllegalArgumentException when the namespace or key is empty or not valid Unicode, or
     *     {@code limit} is outside {@code [1, HistoryStore.LIMIT_MAX]}
     */
    static void checkQuery(String namespace, String key, int limit) {
        Utf8.checkNonEmpty(namespace, "namespace");
        Utf8.checkNonEmpty(key, "key");
        checkLimit(limit);
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > HistoryStore.LIMIT_MAX) {
            throw new IllegalArgumentException("limit=" + limit + " is outside [1, " + HistoryStore.LIMIT_MAX + "]");
        }
    }

    /**
     * @throws IllegalArgumentException as {@link #checkQuery(String, String, int)}, and when the position is
     *     below ({@link HistoryStore#FROM_START}, {@link HistoryStore#FROM_START_TX})
     */
    static void checkQuery(String namespace, String key, long afterBlock, int afterTx, int limit) {
        checkQuery(namespace, key, limit);
        if (afterBlock < HistoryStore.FROM_START || afterTx < HistoryStore.FROM_START_TX) {
            throw new IllegalArgumentException("after (" + afterBlock + ", " + afterTx + ") is below ("
                    + HistoryStore.FROM_START + ", " + HistoryStore.FROM_START_TX + ")");
        }
    }

    /**
     * @throws IllegalArgumentException when an argument is null or not valid Unicode, or {@code limit} is
     *     outside {@code [1, HistoryStore.LIMIT_MAX]}
     */
    static void checkKeys(String afterNamespace, String afterKey, int limit) {
        Utf8.check(afterNamespace, "afterNamespace");
        Utf8.check(afterKey, "afterKey");
        checkLimit(limit);
    }

    /** True when the entry lies strictly after (afterBlock, afterTx). */
    static boolean isAfter(HistoryEntry entry, long afterBlock, int afterTx) {
        return entry.blockNumber() > afterBlock || (entry.blockNumber() == afterBlock && entry.txNumber() > afterTx);
    }

    /**
     * @throws IllegalStateException when {@code blockNumber <= savepoint} (see {@link Savepoints})
     * @throws IllegalArgumentException when the block number is negative, the list is null or longer than
     *     {@link HistoryStore#ENTRIES_PER_BLOCK_MAX}, or an entry is null, has an empty or non-Unicode
     *     namespace or key, belongs to another block, has a negative tx number, or repeats a (key, tx)
     */
    static void checkBlock(String store, long savepoint, long blockNumber, List<HistoryEntry> entries) {
        Savepoints.checkNext(store, savepoint, blockNumber);
        if (entries == null || entries.size() > HistoryStore.ENTRIES_PER_BLOCK_MAX) {
            throw new IllegalArgumentException("block " + blockNumber + ": entries must be a list of at most "
                    + HistoryStore.ENTRIES_PER_BLOCK_MAX);
        }
        Set<Write> seen = new HashSet<>();
        for (HistoryEntry entry : entries) {
            if (entry == null) {
                throw new IllegalArgumentException("block " + blockNumber + ": null entry");
            }
            Utf8.checkNonEmpty(entry.namespace(), "namespace");
            Utf8.checkNonEmpty(entry.key(), "key");
            String where = "block " + blockNumber + ", key " + entry.namespace() + "/" + entry.key();
            if (entry.blockNumber() != blockNumber || entry.txNumber() < 0) {
                throw new IllegalArgumentException(where + ": entry at (" + entry.blockNumber() + ", "
                        + entry.txNumber() + ") is not a transaction of this block");
            }
            if (!seen.add(new Write(entry.namespace(), entry.key(), entry.txNumber()))) {
                throw new IllegalArgumentException(where + ": transaction " + entry.txNumber()
                        + " is recorded twice");
            }
        }
    }
}
