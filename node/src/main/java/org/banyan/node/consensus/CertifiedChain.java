package org.banyan.node.consensus;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.banyan.consensus.Actions;
import org.banyan.consensus.Block;
import org.banyan.consensus.Certificates;
import org.banyan.consensus.Digest;
import org.banyan.consensus.QuorumCert;
import org.banyan.consensus.codec.WireCodec;

/**
 * Checks ledger blocks, in order, against the consensus chain they claim to extend: each is rebuilt into its
 * consensus block ({@link LedgerChain#rebuild}), must carry the next number and name the previous consensus block
 * as parent, and is held until a block arrives whose commit certificate names it and verifies (a quorum of distinct
 * consenter signatures over a vote one round after it) — that block and, through the hash links, every block held
 * before it are then proven. Used by state transfer on blocks from peers and by {@code ledger verify
 * --certificates} on a whole ledger. Not thread-safe.
 */
public final class CertifiedChain {
    /** Most blocks held waiting for a certificate; a source that sends more without one is refused. */
    public static final int HELD_BLOCKS_MAX = 1_024;

    private final WireCodec codec;
    private final Certificates certificates;
    private final List<Block> held = new ArrayList<>();
    private Block tip;
    private long nextNumber;

    /**
     * @param tip the last proven consensus block (genesis for a whole ledger)
     * @param nextNumber the ledger number expected next (tip height + 1)
     */
    public CertifiedChain(Block tip, long nextNumber, WireCodec codec, Certificates certificates) {
        this.tip = tip;
        this.nextNumber = nextNumber;
        this.codec = codec;
        this.certificates = certificates;
    }

    /**
     * Adds the next ledger block.
     *
     * @return the blocks it proves, with their certificate, or empty while the certificate is still to come
     * @throws IllegalStateException naming the block, when it is not the expected next one, does not extend the
     *     chain, carries an invalid certificate, or too many blocks wait for one
     */
    public Optional<Actions.Commit> add(org.hyperledger.fabric.protos.common.Block ledgerBlock) {
        long number = ledgerBlock.getHeader().getNumber();
        if (number != nextNumber) {
            throw new IllegalStateException("expected block " + nextNumber + ", got " + number);
        }
        LedgerChain.Rebuilt rebuilt = LedgerChain.rebuild(ledgerBlock, codec);
        if (rebuilt.block().height().value() != number) {
            throw new IllegalStateException("block " + number + " claims consensus height " + rebuilt.block().height());
        }
        Digest parent = held.isEmpty() ? tip.id() : held.getLast().id();
        if (!rebuilt.block().parentId().equals(parent)) {
            throw new IllegalStateException("block " + number + " does not extend the previous consensus block");
        }
        held.add(rebuilt.block());
        nextNumber++;
        if (held.size() > HELD_BLOCKS_MAX) {
            throw new IllegalStateException(held.size() + " blocks up to " + number + " without a commit certificate");
        }
        QuorumCert commitQc = rebuilt.witness().commitQc();
        if (!commitQc.voteData().parentId().equals(rebuilt.block().id())) {
            return Optional.empty();
        }
        if (!commitQc.voteData().commitsParent() || !certificates.validQc(commitQc)) {
            throw new IllegalStateException("block " + number + " carries an invalid commit certificate");
        }
        Actions.Commit proven = new Actions.Commit(held, commitQc);
        tip = held.getLast();
        held.clear();
        return Optional.of(proven);
    }

    /** Blocks added but not proven yet. */
    public int held() {
        return held.size();
    }

    /** The last proven block. */
    public Block tip() {
        return tip;
    }

    /** The result of checking a whole ledger. */
    public record Verdict(boolean ok, long blocksProven, String problem) {
        public String describe() {
            return ok ? "commit certificates verify for blocks 1.." + blocksProven
                    : "commit certificates: " + problem + " (blocks 1.." + blocksProven + " proven)";
        }
    }

    /** Checks every block after genesis, from block 1 on; every one must be proven by the end. */
    public static Verdict verify(Iterator<org.hyperledger.fabric.protos.common.Block> fromBlockOne, WireCodec codec,
            Certificates certificates) {
        CertifiedChain chain = new CertifiedChain(Block.genesis(), 1, codec, certificates);
        long proven = 0;
        while (fromBlockOne.hasNext()) {
            try {
                Optional<Actions.Commit> commit = chain.add(fromBlockOne.next());
                if (commit.isPresent()) {
                    proven = commit.get().blocks().getLast().height().value();
                }
            } catch (IllegalStateException e) {
                return new Verdict(false, proven, e.getMessage());
            }
        }
        if (chain.held() > 0) {
            return new Verdict(false, proven, "the last " + chain.held() + " blocks carry no certificate naming them");
        }
        return new Verdict(true, proven, null);
    }
}
