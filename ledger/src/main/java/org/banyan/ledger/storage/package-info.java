/**
 * Building blocks shared by the ledger's derived stores ({@code state}, {@code history}): strict UTF-8 keys
 * and their byte order, small binary writers and readers, the savepoint rule, one open RocksDB with its
 * native handles, and the typed {@link org.banyan.ledger.storage.StorageException} for disk failures.
 *
 * <p>Nothing here knows what a key or a value means; the stores own their encodings.
 */
package org.banyan.ledger.storage;
