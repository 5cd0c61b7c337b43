package org.banyan.node.consensus;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.banyan.consensus.Block;
import org.banyan.consensus.CommittedTip;
import org.banyan.consensus.Payload;
import org.banyan.consensus.QuorumCert;
import org.banyan.consensus.codec.BlockWitness;
import org.banyan.consensus.codec.MalformedMessageException;
import org.banyan.consensus.codec.WireCodec;
import org.banyan.ledger.ChannelLedger;
import org.banyan.protocol.BlockMetadataSlots;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;

/**
 * Maps between ledger (Fabric) blocks and the consensus blocks they stand for.
 *
 * <p>A ledger block above genesis carries a {@link BlockWitness} in its SIGNATURES metadata
 * ({@code OrdererBlockMetadata.consenter_metadata}); its data holds the payloads' envelopes, and each payload's
 * id is the envelope's transaction id. Together they rebuild the consensus block and its id, which is how a
 * restarted node finds its committed tip and how state transfer checks blocks fetched from peers.
 */
public final class LedgerChain {
    private LedgerChain() {}

    /** What a driver starts from: the committed tip, the blocks ending at it, and the tip's commit certificate. */
    public record Recovered(CommittedTip tip, List<Block> recentBlocks, Optional<QuorumCert> tipCommitQc) {
        public Recovered {
            recentBlocks = List.copyOf(recentBlocks);
        }

        /** An empty ledger: only the genesis block. */
        public static Recovered genesis() {
            return new Recovered(CommittedTip.genesis(), List.of(), Optional.empty());
        }
    }

    /**
     * The committed tip of {@code ledger} and up to {@code recentBlocksMax} consensus blocks ending at it, checked
     * to link by parent id.
     *
     * @throws IllegalStateException if a block lacks a witness or the rebuilt blocks do not link
     */
    public static Recovered recover(ChannelLedger ledger, WireCodec codec, int recentBlocksMax) {
        long top = ledger.height() - 1;
        if (top <= 0) {
            return Recovered.genesis();
        }
        long from = Math.max(1, top - recentBlocksMax + 1);
        Deque<Block> blocks = new ArrayDeque<>();
        QuorumCert tipCommitQc = null;
        for (long number = top; number >= from; number--) {
            org.hyperledger.fabric.protos.common.Block stored = ledger.block(number).orElseThrow(
                    () -> new IllegalStateException("ledger " + ledger.channelId() + " lacks a block below its height"));
            Rebuilt rebuilt = rebuild(stored, codec);
            if (!blocks.isEmpty() && !blocks.peekFirst().parentId().equals(rebuilt.block().id())) {
                throw new IllegalStateException("ledger " + ledger.channelId() + ": block " + (number + 1)
                        + " does not link to block " + number + " by consensus id");
            }
            if (tipCommitQc == null) {
                tipCommitQc = rebuilt.witness().commitQc();
            }
            blocks.addFirst(rebuilt.block());
        }
        Block tip = blocks.peekLast();
        if (tip.height().value() != top) {
            throw new IllegalStateException("ledger " + ledger.channelId() + ": block " + top + " holds consensus height "
                    + tip.height());
        }
        return new Recovered(new CommittedTip(tip.height(), tip.id(), tip.round()), List.copyOf(blocks),
                Optional.of(tipCommitQc));
    }

    /** A ledger block's consensus block and witness. */
    public record Rebuilt(Block block, BlockWitness witness) {}

    /**
     * Rebuilds the consensus block a ledger block stands for.
     *
     * @throws IllegalStateException if the block has no readable witness or an envelope without a tx id
     */
    public static Rebuilt rebuild(org.hyperledger.fabric.protos.common.Block stored, WireCodec codec) {
        long number = stored.getHeader().getNumber();
        BlockWitness witness;
        try {
            ByteString signatures = stored.getMetadata().getMetadata(BlockMetadataSlots.SIGNATURES);
            OrdererBlockMetadata value = OrdererBlockMetadata.parseFrom(Metadata.parseFrom(signatures).getValue());
            witness = codec.decodeWitness(value.getConsenterMetadata().toByteArray());
        } catch (InvalidProtocolBufferException | MalformedMessageException | IndexOutOfBoundsException e) {
            throw new IllegalStateException("block " + number + ": no consensus witness in SIGNATURES metadata: "
                    + e.getMessage(), e);
        }
        List<Payload> payloads = new ArrayList<>(stored.getData().getDataCount());
        for (ByteString envelope : stored.getData().getDataList()) {
            payloads.add(payload(envelope).orElseThrow(() -> new IllegalStateException("block " + number
                    + ": an envelope without a transaction id")));
        }
        return new Rebuilt(witness.block(payloads), witness);
    }

    /** The consensus payload for an encoded envelope: its transaction id and bytes; empty if it has no tx id. */
    public static Optional<Payload> payload(ByteString envelopeBytes) {
        try {
            Envelope envelope = Envelope.parseFrom(envelopeBytes);
            org.hyperledger.fabric.protos.common.Payload payload =
                    org.hyperledger.fabric.protos.common.Payload.parseFrom(envelope.getPayload());
            String txId = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId();
            if (txId.isEmpty() || txId.length() > Payload.PAYLOAD_ID_CHARS_MAX) {
                return Optional.empty();
            }
            return Optional.of(new Payload(txId, envelopeBytes.toByteArray()));
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }
}
