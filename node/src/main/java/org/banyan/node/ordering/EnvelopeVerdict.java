package org.banyan.node.ordering;

/** What the validator decided about one payload. Stable names: they appear in logs and counters. */
public enum EnvelopeVerdict {
    /** Every check passed: the payload may be ordered. */
    VALID,
    /** More bytes than the channel's limit ({@code BatchSize.absolute_max_bytes} by default). */
    TOO_LARGE,
    /** Not a {@code common.Envelope}, or {@code TransactionParser} refuses it (the detail carries Fabric's code). */
    MALFORMED,
    /** A header type other than ENDORSER_TRANSACTION: CONFIG updates are not supported yet. */
    UNSUPPORTED_TYPE,
    /** The channel header names another channel. */
    WRONG_CHANNEL,
    /** The payload id is not the channel header's tx id, or that tx id is not SHA-256(nonce ‖ creator). */
    TX_ID_MISMATCH,
    /** The creator is not a valid identity of a channel MSP at the validator's instant (unknown MSP, expired, …). */
    CREATOR_INVALID,
    /** The creator does not satisfy {@code /Channel/Writers}. */
    CREATOR_NOT_WRITER,
    /** The creator's signature over the envelope payload does not verify. */
    BAD_SIGNATURE,
    /** The channel's ledger already holds the tx id. Never cached: checked on every call. */
    ALREADY_ORDERED
}
