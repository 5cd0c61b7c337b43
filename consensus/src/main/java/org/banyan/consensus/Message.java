package org.banyan.consensus;

import java.util.List;

/**
 * Messages between replicas. The transport authenticates the sender (mutual TLS with MSP certificates), so the
 * {@code from} of {@link Event.MessageReceived} is trusted; everything inside a message is checked.
 */
public sealed interface Message {
    /** A leader's block for its round, with the TC of the previous round when that round timed out. */
    record Proposal(Block block, TimeoutCert tc) implements Message {}

    /** A signed vote for a block, sent to the leader of the next round. */
    record Vote(VoteData voteData, ReplicaId voter, byte[] signature) implements Message {
        public Vote {
            signature = signature.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }
    }

    /** A signed timeout for {@code round}, broadcast, carrying the sender's highest QC. */
    record Timeout(Round round, QuorumCert highQc, ReplicaId author, byte[] signature) implements Message {
        public Timeout {
            signature = signature.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }
    }

    /** Payloads handed to the leader (and, after a timeout, to everyone) so a view change does not lose them. */
    record PayloadForward(List<Payload> payloads) implements Message {
        public PayloadForward {
            payloads = List.copyOf(payloads);
        }
    }

    /** The sender's certificates (DiemBFT SyncInfo): lets a lagging replica catch up on rounds and commits. */
    record SyncInfo(QuorumCert highQc, QuorumCert highCommitQc, TimeoutCert highTc) implements Message {}

    /** Asks for block {@code blockId} and its ancestors above {@code committedHeight}. */
    record SyncRequest(Digest blockId, Height committedHeight) implements Message {}

    /** Blocks in ascending height, each linked to the previous one by its parent QC. */
    record SyncResponse(List<Block> blocks) implements Message {
        public SyncResponse {
            blocks = List.copyOf(blocks);
        }
    }
}
