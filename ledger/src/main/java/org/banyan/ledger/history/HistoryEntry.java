package org.banyan.ledger.history;

/** One write of a key: the transaction at (block, tx) set it, or deleted it. */
public record HistoryEntry(String namespace, String key, long blockNumber, int txNumber, boolean delete) {}
