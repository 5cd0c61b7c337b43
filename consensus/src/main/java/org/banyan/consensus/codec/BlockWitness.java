package org.banyan.consensus.codec;

import java.util.List;
import org.banyan.consensus.Block;
import org.banyan.consensus.Payload;
import org.banyan.consensus.QuorumCert;
import org.banyan.consensus.ReplicaId;
import org.banyan.consensus.Round;

/**
 * What a ledger block must carry besides its payloads to stand for a committed consensus block: the consensus
 * header (round, author, parent QC) — from which, with the payloads, the consensus block id is recomputed — and
 * the commit certificate of the commit the block belonged to. Anyone holding the channel's consenters can check a
 * stored block on its own: rebuild the consensus block, follow the parent QCs' block ids back to a trusted block,
 * and check the commit certificate's signatures.
 */
public record BlockWitness(Round round, ReplicaId author, QuorumCert parentQc, QuorumCert commitQc) {
    /** The witness of {@code block}, committed under {@code commitQc}. */
    public static BlockWitness of(Block block, QuorumCert commitQc) {
        if (block.isGenesis()) {
            throw new IllegalArgumentException("the genesis block has no witness");
        }
        return new BlockWitness(block.round(), block.author(), block.parentQc(), commitQc);
    }

    /** The consensus block this witness and these payloads stand for (its id recomputed). */
    public Block block(List<Payload> payloads) {
        return new Block(round, author, parentQc, payloads);
    }
}
