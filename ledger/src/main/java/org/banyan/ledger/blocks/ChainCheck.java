package org.banyan.ledger.blocks;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Optional;
import org.banyan.crypto.Assert;
import org.banyan.protocol.Blocks;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The checks that make a record the next link of the chain: it decodes as a block, its number is the one
 * expected, its previous hash is the hash of the block before, and its data hash matches its data. One place
 * for the writer ({@link BlockStore#append}), recovery and the verifier. Pure functions.
 */
public final class ChainCheck {
    /** Which check failed. */
    public enum Kind {
        /** The checksum matched but the payload does not decode as a block. */
        NOT_A_BLOCK,
        /** The block carries another number than the one expected. */
        WRONG_NUMBER,
        /** The previous hash is not the hash of the preceding block's header. */
        PREVIOUS_HASH,
        /** The data hash in the header does not match the data. */
        DATA_HASH
    }

    /**
     * A failed check.
     *
     * @param kind which check failed
     * @param expectedNumber the block number expected at this place (the block the problem is reported for)
     * @param foundNumber the number the block carries, or -1 when it did not decode
     */
    public record Problem(Kind kind, long expectedNumber, long foundNumber) {
        /** What is wrong, without the block's place (callers add segment and offset). */
        public String describe() {
            return switch (kind) {
                case NOT_A_BLOCK -> "checksum matches but the record is not a block";
                case WRONG_NUMBER -> "expected block number " + expectedNumber + ", found " + foundNumber;
                case PREVIOUS_HASH -> "previous hash does not match block " + (expectedNumber - 1);
                case DATA_HASH -> "data hash does not match its data";
            };
        }
    }

    /** A decoded record: the block when every check passed, else the first problem. */
    public record Result(Optional<Block> block, Optional<Problem> problem) {
        public Result {
            Assert.that(block.isPresent() != problem.isPresent(), "exactly one of block and problem");
        }
    }

    private ChainCheck() {}

    /**
     * Checks that {@code block} extends a chain of {@code expectedNumber} blocks whose last header hashes to
     * {@code previousHash} (ignored for block 0).
     */
    public static Optional<Problem> check(Block block, long expectedNumber, ByteString previousHash) {
        Assert.that(expectedNumber >= 0, "expectedNumber=%d", expectedNumber);
        long number = block.getHeader().getNumber();
        if (number != expectedNumber) {
            return Optional.of(new Problem(Kind.WRONG_NUMBER, expectedNumber, number));
        }
        if (number > 0 && !block.getHeader().getPreviousHash().equals(previousHash)) {
            return Optional.of(new Problem(Kind.PREVIOUS_HASH, expectedNumber, number));
        }
        if (!Blocks.dataHashMatches(block)) {
            return Optional.of(new Problem(Kind.DATA_HASH, expectedNumber, number));
        }
        return Optional.empty();
    }

    /** Decodes a record's payload (its checksum already matched) and {@link #check}s it. */
    public static Result checkRecord(byte[] payload, long expectedNumber, ByteString previousHash) {
        Block block;
        try {
            block = Block.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            return new Result(Optional.empty(), Optional.of(new Problem(Kind.NOT_A_BLOCK, expectedNumber, -1)));
        }
        Optional<Problem> problem = check(block, expectedNumber, previousHash);
        return problem.isPresent() ? new Result(Optional.empty(), problem) : new Result(Optional.of(block), problem);
    }
}
