package org.banyan.node.consensus;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import org.banyan.consensus.Block;
import org.banyan.consensus.Certificates;
import org.banyan.consensus.codec.WireCodec;
import org.banyan.ledger.ChannelLedger;

/**
 * Brings a channel's ledger up to its peers' from their committed blocks: for a replica that fell further behind
 * than the consensus core's in-memory sync reaches, was restarted after a long time, or starts on an empty disk.
 *
 * <p>Nothing a peer sends is trusted: fetched blocks go through a {@link CertifiedChain} (rebuilt, linked by
 * consensus id to our tip, held until a valid commit certificate names them), and proven blocks are committed
 * through the same {@link LedgerCommitSink} consensus uses, which recomputes the Fabric block and its validation
 * codes locally (a peer's metadata is never copied). A peer that sends anything else is abandoned for this pass,
 * with what it sent, and the next one is asked.
 *
 * <p>Runs on the caller's thread while the channel's driver is stopped: the ledger has one writer at a time.
 */
public final class StateTransfer {
    private static final System.Logger LOG = System.getLogger(StateTransfer.class.getName());

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
        CertifiedChain chain = new CertifiedChain(tipBlock(), ledger.height(), codec, certificates);
        while (true) {
            List<byte[]> fetched = peers.fetch(peer, ledger.height() + chain.held(), blocksPerFetch);
            if (fetched.isEmpty()) {
                return;
            }
            for (byte[] bytes : fetched) {
                org.hyperledger.fabric.protos.common.Block block;
                try {
                    block = org.hyperledger.fabric.protos.common.Block.parseFrom(bytes);
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("block " + (ledger.height() + chain.held()) + " does not parse: "
                            + e.getMessage(), e);
                }
                chain.add(block).ifPresent(sink::deliver);
            }
        }
    }

    /** The consensus block at the ledger's tip (genesis at height 1). */
    private Block tipBlock() {
        List<Block> recent = LedgerChain.recover(ledger, codec, 1).recentBlocks();
        return recent.isEmpty() ? Block.genesis() : recent.getLast();
    }
}
