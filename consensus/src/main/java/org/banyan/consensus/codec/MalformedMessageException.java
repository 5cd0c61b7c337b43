package org.banyan.consensus.codec;

/**
 * Bytes that are not the canonical encoding of a valid value within the {@link CodecLimits}: truncated, too
 * long, trailing bytes, an unknown version or tag, a count or length over its limit, or field values the
 * consensus types reject (for example signers not strictly ascending). The message names the field and the byte
 * offset. A peer that sends such bytes is faulty; the node drops the message (and may count it per peer).
 */
public final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }
}
