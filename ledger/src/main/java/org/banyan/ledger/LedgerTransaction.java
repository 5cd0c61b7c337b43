package org.banyan.ledger;

import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** A committed transaction found by ID: where it is, how it was validated, and its envelope. */
public record LedgerTransaction(String txId, long blockNumber, int txIndex, TxValidationCode validationCode,
                                Envelope envelope) {}
