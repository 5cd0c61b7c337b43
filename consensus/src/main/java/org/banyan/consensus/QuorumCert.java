package org.banyan.consensus;

import java.util.List;

/**
 * A quorum certificate: {@code >= 2f+1} distinct replicas signed {@link #voteData()}. Signatures are kept in
 * strictly ascending signer order (so a duplicate signer is a malformed certificate, and the encoding is
 * canonical). Construction does not verify; {@link Certificates#validQc} does. The genesis QC has no signatures.
 */
public record QuorumCert(VoteData voteData, List<ReplicaSignature> signatures) {
    public QuorumCert {
        signatures = List.copyOf(signatures);
    }

    public Digest blockId() {
        return voteData.blockId();
    }

    public Round round() {
        return voteData.round();
    }

    public Height height() {
        return voteData.height();
    }

    @Override
    public String toString() {
        return "QC[" + voteData.blockId() + " " + round() + " " + height() + " parent " + voteData.parentRound()
                + " signers=" + signatures.size() + "]";
    }
}
