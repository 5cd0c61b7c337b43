package org.banyan.consensus;

import org.banyan.crypto.Assert;

/**
 * The state a replica must fsync before any vote or timeout leaves it (DiemBFT v4 §5 safety rules): after a
 * restart from it, the replica never signs anything that contradicts what it signed before.
 *
 * @param lastVotedRound the highest round it voted or timed out in; it never votes at or below this round again
 * @param lockedRound the highest parent-QC round of a block it voted for (the paper's {@code highest_qc_round}); a
 *     timeout it signs always reports a QC at least this high
 * @param highQc the highest QC it has seen (liveness: restarts in the right round and proposes on it)
 * @param highTc the highest TC it has seen, or null
 */
public record SafetyState(Round lastVotedRound, Round lockedRound, QuorumCert highQc, TimeoutCert highTc) {
    public SafetyState {
        Assert.that(!lockedRound.isAfter(highQc.round()), "lockedRound=%s highQc=%s", lockedRound, highQc);
    }

    /** The state of a replica that never voted. */
    public static SafetyState initial() {
        return new SafetyState(Round.ZERO, Round.ZERO, Block.genesisQc(), null);
    }

    public Round highTcRound() {
        return highTc == null ? Round.ZERO : highTc.round();
    }
}
