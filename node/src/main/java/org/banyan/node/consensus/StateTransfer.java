package org.banyan.node.consensus;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.banyan.consensus.Actions;
import org.banyan.consensus.Block;
import org.banyan.consensus.Certificates;
import org.banyan.consensus.Digest;
import org.banyan.consensus.QuorumCert;
import org.banyan.consensus.codec.WireCodec;
import org.banyan.ledger.ChannelLedger;

/**
 * Brings a channel's ledger up to its peers' from their committed blocks: for a replica that fell further behind
 * than the consensus core's in-memory sync reaches, was restarted after a long time, or starts on an empty disk.
 *
 * <p>Nothing a peer sends is trusted. Each fetched block is rebuilt into its consensus block
 * ({@link LedgerChain#rebuild}); it must carry the next block number and name the previous consensus block (ours,
 * or the previous fetched one) as its parent. Blocks are held until one arrives whose commit certificate names it
 * — a certificate with a quorum of valid consenter signatures ({@link Certificates#validQc}) over a vote whose
 * parent is that block, one round after it. That block and, through the hash links, every block held before it
 * are then committed through the same {@link LedgerCommitSink} consensus uses, which recomputes the Fabric block
 * and its validation codes locally (a peer's metadata is never copied). A peer that sends anything else is
 * abandoned for this pass, with what it sent, and the next one is asked.
 *
 * <p>Runs on the caller's thread while the channel's driver is stopped: the ledger has one writer at a time.
 */
public final class StateTransfer {
    private static final System.Logger LOG = System.getLogger(StateTransfer.class.getName());
    /** Most fetched blocks held waiting for a certificate; a peer that sends more without one is abandoned. */
    static final int HELD_BLOCKS_MAX = 1_024;

    /** Fetches encoded ledger blocks of this channel from one peer. */
    @FunctionalInterface
    public interface PeerBlocks {
        /**
         * Up to {@code blocksMax} encoded blocks from {@code fromNumber}, ascending, from replica {@code replica}.
         *
         * @throws RuntimeException when the peer cannot be reached or fails (the pass goes on with the next)
         */
        List<byte[]> fetch(int replica, long fromNumber, int blocksMax);
    }

    /** What one pass did. */
    public record Result(long blocksCommitted, long heightAfter, int peersFailed) {}

    private final ChannelLedger ledger;
    private final LedgerCommitSink sink;
    private final WireCodec codec;
    private final Certificates certificates;
    private final int replicaCount;
    private final int self;
    private final int blocksPerFetch;

    public StateTransfer(ChannelLedger ledger, LedgerCommitSink sink, WireCodec codec, Certificates certificates,
            int replicaCount, int self, int blocksPerFetch) {
        this.ledger = ledger;
        this.sink = sink;
        this.codec = codec;
        this.certificates = certificates;
        this.replicaCount = replicaCount;
        this.self = self;
        this.blocksPerFetch = blocksPerFetch;
    }

    /**
     * Asks every other replica in turn, starting after this one, for the blocks above the ledger's height, until
     * each has answered with nothing new or failed.
     */
    public Result catchUp(PeerBlocks peers) {
        long before = ledger.height();
        int failed = 0;
        for (int step = 1; step < replicaCount; step++) {
            int peer = (self + step) % replicaCount;
            try {
                pull(peers, peer);
            } catch (RuntimeException e) {
                failed++;
                LOG.log(System.Logger.Level.INFO, "{0}: state transfer from replica {1} stopped at height {2}: {3}",
                        ledger.channelId(), peer, ledger.height(), e.getMessage());
            }
        }
        return new Result(ledger.height() - before, ledger.height(), failed);
    }

    /** Pulls from one peer until it has nothing beyond what is held; commits every proven block. */
    private void pull(PeerBlocks peers, int peer) {
        List<Block> held = new ArrayList<>();
        Block tip = tipBlock();
        while (true) {
            long from = ledger.height() + held.size();
            List<byte[]> fetched = peers.fetch(peer, from, blocksPerFetch);
            if (fetched.isEmpty()) {
                return;
            }
            for (byte[] bytes : fetched) {
                LedgerChain.Rebuilt rebuilt = rebuild(bytes, ledger.height() + held.size());
                Digest parent = held.isEmpty() ? tip.id() : held.getLast().id();
                if (!rebuilt.block().parentId().equals(parent)) {
                    throw new IllegalStateException("block " + (ledger.height() + held.size())
                            + " does not extend the previous consensus block");
                }
                held.add(rebuilt.block());
                if (held.size() > HELD_BLOCKS_MAX) {
                    throw new IllegalStateException(held.size() + " blocks without a commit certificate");
                }
                QuorumCert commitQc = rebuilt.witness().commitQc();
                if (commitQc.voteData().parentId().equals(rebuilt.block().id())) {
                    if (!commitQc.voteData().commitsParent() || !certificates.validQc(commitQc)) {
                        throw new IllegalStateException("block " + rebuilt.block().height()
                                + " carries an invalid commit certificate");
                    }
                    sink.deliver(new Actions.Commit(held, commitQc));
                    tip = held.getLast();
                    held.clear();
                }
            }
        }
    }

    private LedgerChain.Rebuilt rebuild(byte[] bytes, long expectedNumber) {
        org.hyperledger.fabric.protos.common.Block block;
        try {
            block = org.hyperledger.fabric.protos.common.Block.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("block " + expectedNumber + " does not parse: " + e.getMessage(), e);
        }
        if (block.getHeader().getNumber() != expectedNumber) {
            throw new IllegalStateException("asked for block " + expectedNumber + ", got "
                    + block.getHeader().getNumber());
        }
        LedgerChain.Rebuilt rebuilt = LedgerChain.rebuild(block, codec);
        if (rebuilt.block().height().value() != expectedNumber) {
            throw new IllegalStateException("block " + expectedNumber + " claims consensus height "
                    + rebuilt.block().height());
        }
        return rebuilt;
    }

    /** The consensus block at the ledger's tip (genesis at height 1). */
    private Block tipBlock() {
        List<Block> recent = LedgerChain.recover(ledger, codec, 1).recentBlocks();
        return recent.isEmpty() ? Block.genesis() : recent.getLast();
    }
}
