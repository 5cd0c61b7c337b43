/**
 * The history database: per key, the transactions that wrote it, oldest first (values stay in the block
 * store). {@link org.banyan.ledger.history.HistoryStore} is the port;
 * {@link org.banyan.ledger.history.RocksDbHistoryStore} the production store and
 * {@link org.banyan.ledger.history.InMemoryHistoryStore} the reference model; both pass
 * {@code HistoryStoreContract}.
 */
package org.banyan.ledger.history;
