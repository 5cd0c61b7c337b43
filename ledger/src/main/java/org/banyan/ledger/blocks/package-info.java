/**
 * The block store: the ledger's source of truth. Blocks are appended to numbered segment files, each record
 * framed with a length and a CRC32C and fsynced before {@code append} returns; a RocksDB index maps block
 * numbers to record positions and transaction IDs to their block, position and validation code. The index
 * is derived data, rebuilt from the segments when it is missing or behind. See {@link
 * org.banyan.ledger.blocks.SegmentFormat} for the on-disk layout and {@link org.banyan.ledger.blocks.BlockStore}
 * for the recovery rules.
 */
package org.banyan.ledger.blocks;
