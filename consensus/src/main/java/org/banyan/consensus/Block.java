package org.banyan.consensus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.banyan.crypto.Assert;

/**
 * A proposed block: round, author, the QC of its parent (the proposer's highest QC) and an ordered payload list.
 * Its id is SHA-256 over the header and the payload digests, computed here, so a received block's id is always
 * recomputed rather than trusted. The genesis block (round 0, height 0) has no parent QC and no author.
 */
public final class Block {
    private static final byte[] DOMAIN = "banyan/consensus/block/v1".getBytes(StandardCharsets.US_ASCII);
    private static final Block GENESIS = new Block();

    private final Round round;
    private final Height height;
    private final ReplicaId author;
    private final QuorumCert parentQc;
    private final List<Payload> payloads;
    private final long payloadBytes;
    private final Digest id;

    private Block() {
        this.round = Round.ZERO;
        this.height = Height.ZERO;
        this.author = null;
        this.parentQc = null;
        this.payloads = List.of();
        this.payloadBytes = 0;
        this.id = Digest.sha256("banyan/consensus/genesis/v1".getBytes(StandardCharsets.US_ASCII));
    }

    public Block(Round round, ReplicaId author, QuorumCert parentQc, List<Payload> payloads) {
        Assert.that(round.isAfter(parentQc.round()), "round=%s parentQc=%s", round, parentQc);
        this.round = round;
        this.height = parentQc.height().next();
        this.author = author;
        this.parentQc = parentQc;
        this.payloads = List.copyOf(payloads);
        long bytes = 0;
        byte[][] parts = new byte[this.payloads.size() + 1][];
        for (int i = 0; i < this.payloads.size(); i++) {
            bytes += this.payloads.get(i).sizeBytes();
            parts[i + 1] = this.payloads.get(i).digest().bytesUnsafe();
        }
        this.payloadBytes = bytes;
        parts[0] = ByteBuffer.allocate(DOMAIN.length + 8 + 8 + 4 + 32 + 8 + 4).put(DOMAIN).putLong(round.value())
                .putLong(height.value()).putInt(author.value()).put(parentQc.blockId().bytesUnsafe())
                .putLong(parentQc.round().value()).putInt(this.payloads.size()).array();
        this.id = Digest.sha256(parts);
    }

    public static Block genesis() {
        return GENESIS;
    }

    /** The QC the chain starts from: certifies genesis, carries no signatures, commits nothing. */
    public static QuorumCert genesisQc() {
        return new QuorumCert(new VoteData(GENESIS.id, Round.ZERO, Height.ZERO, Digest.ZERO, Round.ZERO), List.of());
    }

    public boolean isGenesis() {
        return parentQc == null;
    }

    public Digest id() {
        return id;
    }

    public Round round() {
        return round;
    }

    public Height height() {
        return height;
    }

    /** The proposer; null only for genesis. */
    public ReplicaId author() {
        return author;
    }

    /** The QC certifying the parent; null only for genesis. */
    public QuorumCert parentQc() {
        return parentQc;
    }

    public Digest parentId() {
        return isGenesis() ? Digest.ZERO : parentQc.blockId();
    }

    public List<Payload> payloads() {
        return payloads;
    }

    public long payloadBytes() {
        return payloadBytes;
    }

    /** The vote data a replica signs when voting for this block. */
    public VoteData voteData() {
        Assert.that(!isGenesis(), "nobody votes for genesis");
        return new VoteData(id, round, height, parentQc.blockId(), parentQc.round());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Block b && id.equals(b.id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "Block[" + id + " " + round + " " + height + " by " + author + " parent " + parentId() + " payloads="
                + payloads.size() + "]";
    }
}
