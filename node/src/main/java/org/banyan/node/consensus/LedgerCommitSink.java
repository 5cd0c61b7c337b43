package org.banyan.node.consensus;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.banyan.consensus.Actions;
import org.banyan.consensus.Block;
import org.banyan.consensus.Payload;
import org.banyan.consensus.QuorumCert;
import org.banyan.consensus.ReplicaSignature;
import org.banyan.consensus.codec.BlockWitness;
import org.banyan.consensus.codec.WireCodec;
import org.banyan.crypto.msp.ValidityTime;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.validation.BlockValidation;
import org.banyan.ledger.validation.BlockValidator;
import org.banyan.ledger.validation.CommittedLedger;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.BlockMetadataSlots;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.config.ChannelConfig;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.Consenter;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * Writes each committed consensus block to the channel's {@link ChannelLedger} as a Fabric block.
 *
 * <p><b>Height mapping.</b> Ledger block number == consensus height. The ledger's block 0 is the channel's
 * genesis (config) block and the consensus genesis has height 0; every committed consensus block, empty ones
 * included, becomes exactly one Fabric block (an empty block has no data), so the two heights never drift.
 *
 * <p><b>Idempotence.</b> A driver restarted from genesis re-delivers blocks the ledger already holds. A block
 * whose height is below {@link ChannelLedger#height()} is skipped after checking that the stored block holds the
 * same envelopes (a mismatch means two different committed chains: {@link IllegalStateException}, which stops
 * the driver). A height above the ledger's height (a gap) is also an {@link IllegalStateException}.
 *
 * <p><b>Block content.</b> Data = the payloads' bytes in order (each an encoded {@code common.Envelope}).
 * SIGNATURES metadata, in Fabric's layout: {@code Metadata{value: OrdererBlockMetadata{last_config: 0,
 * consenter_metadata: WireCodec.encodeWitness(BlockWitness.of(block, commitQc))}, signatures: one
 * MetadataSignature per certificate signer}} with {@code signature_header = SignatureHeader{creator:
 * SerializedIdentity{mspid, id_bytes = Consenter.identity}}} and {@code signature} = the signer's vote signature.
 * Unlike Fabric's orderer signatures (over value ‖ signature_header ‖ block header), each signature is over
 * {@code commitQc.voteData().signingBytes()}: the commit certificate's {@code parentId} is the id of the last
 * consensus block of the commit, which certifies it directly and the commit's earlier blocks through the
 * consensus hash links (every block of one commit carries the same certificate). The witness's consensus header
 * (round, author, parent QC) with the envelopes rebuilds the consensus block and its id ({@link LedgerChain}), so
 * a stored block can be checked without any other state. Each payload id must be its envelope's transaction id
 * (the node's payload validation guarantees it). LAST_CONFIG is 0: configuration updates are not supported yet.
 *
 * <p><b>Validation.</b> Before the block is committed, {@link BlockValidator} gives each transaction Fabric's
 * {@code TxValidationCode} (signatures, endorsement policies, duplicates, MVCC; see {@code docs/validation.md}),
 * which becomes TRANSACTIONS_FILTER; the ledger applies only the VALID transactions' writes. Certificates are
 * checked with {@link ValidityTime#atIssuance()}, Fabric's committer rule, so the codes depend on the block and the
 * committed ledger alone: every node, and a node that replays or transfers the block later, gets the same ones.
 *
 * <p>Called only on the driver's event-loop thread; not thread-safe. A ledger failure propagates and stops the
 * driver.
 */
public final class LedgerCommitSink implements CommitSink {
    private final ChannelLedger ledger;
    private final CommittedLedger committedLedger;
    private final WireCodec codec;
    private final BlockValidator validator;
    private final BlockCommitListener committed;
    /** Encoded SignatureHeader per replica id (= consenter index in ID order). */
    private final List<ByteString> signatureHeaders;
    /** Header of the last block this sink committed or read, so the next block need not read it back. */
    private BlockHeader lastHeader;

    /**
     * @param validator the channel's commit-time validator (same configuration as {@code config})
     * @param committed told of each block once the ledger holds it, with the time its validation and write took
     */
    public LedgerCommitSink(ChannelLedger ledger, ChannelConfig config, WireCodec codec, BlockValidator validator,
            BlockCommitListener committed) {
        if (!ledger.channelId().equals(config.channelId())) {
            throw new IllegalArgumentException("ledger of " + ledger.channelId() + ", config of "
                    + config.channelId());
        }
        this.ledger = ledger;
        this.committedLedger = CommittedLedger.of(ledger);
        this.codec = codec;
        this.validator = Objects.requireNonNull(validator, "validator");
        this.committed = Objects.requireNonNull(committed, "committed");
        List<ByteString> headers = new ArrayList<>();
        for (Consenter consenter : config.consenters()) {
            headers.add(signatureHeader(consenter));
        }
        this.signatureHeaders = List.copyOf(headers);
    }

    /** {@code SignatureHeader{creator: SerializedIdentity{mspid, id_bytes: identity}}} of one consenter. */
    public static ByteString signatureHeader(Consenter consenter) {
        SerializedIdentity creator = SerializedIdentity.newBuilder().setMspid(consenter.getMspId())
                .setIdBytes(consenter.getIdentity()).build();
        return SignatureHeader.newBuilder().setCreator(creator.toByteString()).build().toByteString();
    }

    @Override
    public void deliver(Actions.Commit commit) {
        for (Block block : commit.blocks()) {
            deliverBlock(block, signaturesMetadata(BlockWitness.of(block, commit.commitQc())));
        }
    }

    private void deliverBlock(Block block, ByteString signatures) {
        long height = block.height().value();
        List<ByteString> envelopes = new ArrayList<>(block.payloads().size());
        for (Payload payload : block.payloads()) {
            envelopes.add(ByteString.copyFrom(payload.bytes()));
        }
        long ledgerHeight = ledger.height();
        if (height < ledgerHeight) {
            org.hyperledger.fabric.protos.common.Block stored = ledger.block(height).orElseThrow();
            if (!stored.getData().getDataList().equals(envelopes)) {
                throw new IllegalStateException("channel " + ledger.channelId() + ": consensus block at height "
                        + height + " differs from the ledger's block " + height);
            }
            return;
        }
        if (height != ledgerHeight) {
            throw new IllegalStateException("channel " + ledger.channelId() + ": consensus height " + height
                    + " leaves a gap after ledger height " + ledgerHeight);
        }
        BlockHeader previous = headerBelow(height);
        org.hyperledger.fabric.protos.common.Block fabric = Blocks.withLastConfig(Blocks.create(height,
                ByteString.copyFrom(BlockHashing.headerHash(previous)), envelopes), 0);
        fabric = Blocks.withMetadata(fabric, BlockMetadataSlots.SIGNATURES, signatures);
        // A measurement only (the commit metric): nothing decided here depends on it.
        long startNanos = System.nanoTime();
        BlockValidation validation = validator.validate(fabric, committedLedger, ValidityTime.atIssuance());
        org.hyperledger.fabric.protos.common.Block validated = validation.applyTo(fabric);
        ledger.commit(validated);
        long commitNanos = System.nanoTime() - startNanos;
        lastHeader = fabric.getHeader();
        committed.committed(validated, commitNanos);
    }

    /** The header of block {@code height - 1}, from memory when this sink committed it. */
    private BlockHeader headerBelow(long height) {
        if (lastHeader == null || lastHeader.getNumber() != height - 1) {
            lastHeader = ledger.block(height - 1).orElseThrow().getHeader();
        }
        return lastHeader;
    }

    @Override
    public long durableHeight() {
        return ledger.height() - 1;
    }

    private ByteString signaturesMetadata(BlockWitness witness) {
        QuorumCert commitQc = witness.commitQc();
        OrdererBlockMetadata value = OrdererBlockMetadata.newBuilder()
                .setLastConfig(LastConfig.newBuilder().setIndex(0))
                .setConsenterMetadata(ByteString.copyFrom(codec.encodeWitness(witness)))
                .build();
        Metadata.Builder metadata = Metadata.newBuilder().setValue(value.toByteString());
        for (ReplicaSignature signature : commitQc.signatures()) {
            int signer = signature.signer().value();
            if (signer < 0 || signer >= signatureHeaders.size()) {
                throw new IllegalStateException("certificate signer " + signature.signer() + " with "
                        + signatureHeaders.size() + " consenters");
            }
            metadata.addSignatures(MetadataSignature.newBuilder().setSignatureHeader(signatureHeaders.get(signer))
                    .setSignature(ByteString.copyFrom(signature.signature())));
        }
        return metadata.build().toByteString();
    }
}
