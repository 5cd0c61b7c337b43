package org.banyan.ledger;

import java.util.OptionalLong;

/**
 * What {@link LedgerVerifier} found.
 *
 * @param ok true when every check passed
 * @param blocksChecked blocks read and checked before the first problem (all of them when ok)
 * @param txCount transactions in the checked blocks
 * @param firstBadBlock the number of the first block that failed a check, or -1 when none (or when the
 *     problem is not tied to a block)
 * @param problem what is wrong, naming the block, segment and offset (empty when ok)
 * @param note information that is not a failure, for example a block being written while a node runs (empty
 *     when none)
 */
public record VerificationResult(boolean ok, long blocksChecked, long txCount, long firstBadBlock, String problem,
                                 String note) {

    static VerificationResult passed(long blocksChecked, long txCount) {
        return passed(blocksChecked, txCount, "");
    }

    static VerificationResult passed(long blocksChecked, long txCount, String note) {
        return new VerificationResult(true, blocksChecked, txCount, -1, "", note);
    }

    static VerificationResult failed(long blocksChecked, long txCount, long firstBadBlock, String problem) {
        return new VerificationResult(false, blocksChecked, txCount, firstBadBlock, problem, "");
    }

    /** The first bad block, when the problem is tied to one. */
    public OptionalLong badBlock() {
        return firstBadBlock < 0 ? OptionalLong.empty() : OptionalLong.of(firstBadBlock);
    }

    /** One line for the command line tool. */
    public String describe() {
        String line = ok ? "ok: " + blocksChecked + " blocks, " + txCount + " transactions"
                : "FAILED after " + blocksChecked + " good blocks: " + problem;
        return note.isEmpty() ? line : line + " (" + note + ")";
    }
}
