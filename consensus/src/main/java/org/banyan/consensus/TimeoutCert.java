package org.banyan.consensus;

import java.util.List;

/**
 * A timeout certificate: {@code >= 2f+1} distinct replicas gave up on {@link #round()}; each entry carries the
 * round of that replica's highest QC. Entries are strictly ascending by signer. Verified by
 * {@link Certificates#validTc}.
 */
public record TimeoutCert(Round round, List<TimeoutSignature> timeouts) {
    public TimeoutCert {
        timeouts = List.copyOf(timeouts);
    }

    /** The highest QC round any signer reported: a proposal justified by this TC must extend a QC at least this high. */
    public Round maxHighQcRound() {
        Round max = Round.ZERO;
        for (TimeoutSignature t : timeouts) {
            max = Round.max(max, t.highQcRound());
        }
        return max;
    }

    @Override
    public String toString() {
        return "TC[" + round + " signers=" + timeouts.size() + " maxHighQc=" + maxHighQcRound() + "]";
    }
}
