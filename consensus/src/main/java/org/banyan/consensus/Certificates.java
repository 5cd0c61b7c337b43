package org.banyan.consensus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies QCs and TCs: at least a quorum of distinct signers in strictly ascending order, each a consenter, each
 * signature valid. Remembers a bounded number of certificates already verified (each signature is checked at
 * most once per node), keyed by the full certificate content so a forged copy never hits the cache.
 */
public final class Certificates {
    static final int VERIFIED_CACHE_MAX = 4_096;

    private final int replicaCount;
    private final int quorum;
    private final SignatureVerifier verifier;
    private final QuorumCert genesisQc = Block.genesisQc();
    private final Map<Object, Boolean> verified = new LinkedHashMap<>(VERIFIED_CACHE_MAX, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Boolean> eldest) {
            return size() > VERIFIED_CACHE_MAX;
        }
    };

    /** The checker a replica of {@code config} uses: quorum {@code n - f}. Not thread-safe (its cache). */
    public Certificates(ConsensusConfig config, SignatureVerifier verifier) {
        this(config.replicaCount(), config.quorum(), verifier);
    }

    Certificates(int replicaCount, int quorum, SignatureVerifier verifier) {
        this.replicaCount = replicaCount;
        this.quorum = quorum;
        this.verifier = verifier;
    }

    int quorum() {
        return quorum;
    }

    /** A quorum of distinct consenters signed the QC's vote data (the genesis QC is valid by definition). */
    public boolean validQc(QuorumCert qc) {
        if (qc == null) {
            return false;
        }
        if (qc.equals(genesisQc)) {
            return true;
        }
        VoteData data = qc.voteData();
        if (data.round().equals(Round.ZERO) || !data.round().isAfter(data.parentRound())
                || data.height().equals(Height.ZERO)) {
            return false;
        }
        if (verified.containsKey(qc)) {
            return true;
        }
        if (!signersWellFormed(qc.signatures().stream().map(ReplicaSignature::signer).toList())) {
            return false;
        }
        byte[] message = data.signingBytes();
        for (ReplicaSignature s : qc.signatures()) {
            if (!verifier.verify(s.signer(), message, s.signature())) {
                return false;
            }
        }
        verified.put(qc, Boolean.TRUE);
        return true;
    }

    boolean validTc(TimeoutCert tc) {
        if (tc == null || tc.round().equals(Round.ZERO)) {
            return false;
        }
        if (verified.containsKey(tc)) {
            return true;
        }
        if (!signersWellFormed(tc.timeouts().stream().map(TimeoutSignature::signer).toList())) {
            return false;
        }
        for (TimeoutSignature t : tc.timeouts()) {
            if (!tc.round().isAfter(t.highQcRound())) {
                return false;
            }
            if (!verifier.verify(t.signer(), Signatures.timeoutBytes(tc.round(), t.highQcRound()), t.signature())) {
                return false;
            }
        }
        verified.put(tc, Boolean.TRUE);
        return true;
    }

    boolean validVote(Message.Vote vote) {
        return vote.voter().value() < replicaCount
                && verifier.verify(vote.voter(), vote.voteData().signingBytes(), vote.signature());
    }

    boolean validTimeout(Message.Timeout timeout) {
        return timeout.author().value() < replicaCount && timeout.round().isAfter(timeout.highQc().round())
                && validQc(timeout.highQc())
                && verifier.verify(timeout.author(), Signatures.timeoutBytes(timeout.round(), timeout.highQc().round()),
                        timeout.signature());
    }

    private boolean signersWellFormed(List<ReplicaId> signers) {
        if (signers.size() < quorum) {
            return false;
        }
        for (int i = 0; i < signers.size(); i++) {
            if (signers.get(i).value() >= replicaCount) {
                return false;
            }
            // Strictly ascending: rejects duplicate signers.
            if (i > 0 && signers.get(i).compareTo(signers.get(i - 1)) <= 0) {
                return false;
            }
        }
        return true;
    }
}
