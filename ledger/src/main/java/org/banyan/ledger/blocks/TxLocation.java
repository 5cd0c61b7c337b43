package org.banyan.ledger.blocks;

import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Where a transaction ID first appeared and how it was validated there. Fabric keeps the first occurrence
 * of a duplicate transaction ID (later ones are marked {@code DUPLICATE_TXID}); so does the index.
 */
public record TxLocation(long blockNumber, int txIndex, TxValidationCode validationCode) {}
