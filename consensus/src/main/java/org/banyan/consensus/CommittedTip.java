package org.banyan.consensus;

/** The last block the ledger holds, as the node reports it at start. */
public record CommittedTip(Height height, Digest blockId, Round round) {
    public static CommittedTip genesis() {
        return new CommittedTip(Height.ZERO, Block.genesis().id(), Round.ZERO);
    }
}
