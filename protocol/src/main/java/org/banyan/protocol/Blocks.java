package org.banyan.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** Building and reading Fabric-format blocks. Stateless; every method is a pure function. */
public final class Blocks {
    private Blocks() {}

    /**
     * A block over the given envelopes, with its data hash set and one empty metadata entry per slot (as
     * Fabric's {@code protoutil.NewBlock}). The genesis block passes an empty previous hash.
     */
    public static Block create(long number, ByteString previousHash, List<ByteString> envelopes) {
        BlockData data = BlockData.newBuilder().addAllData(envelopes).build();
        BlockHeader header = BlockHeader.newBuilder()
                .setNumber(number)
                .setPreviousHash(previousHash)
                .setDataHash(BlockHashing.dataHashBytes(data))
                .build();
        BlockMetadata.Builder metadata = BlockMetadata.newBuilder();
        for (int slot = 0; slot < BlockMetadataSlots.COUNT; slot++) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        return Block.newBuilder().setHeader(header).setData(data).setMetadata(metadata).build();
    }

    /** The block that follows {@code previous}: number + 1 and previous hash = hash of its header. */
    public static Block next(Block previous, List<ByteString> envelopes) {
        return create(previous.getHeader().getNumber() + 1,
                ByteString.copyFrom(BlockHashing.headerHash(previous.getHeader())), envelopes);
    }

    /** Replaces one metadata slot, adding empty slots first when an older block carries fewer. */
    public static Block withMetadata(Block block, int slot, ByteString value) {
        BlockMetadata.Builder metadata = block.getMetadata().toBuilder();
        while (metadata.getMetadataCount() <= slot) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        metadata.setMetadata(slot, value);
        return block.toBuilder().setMetadata(metadata).build();
    }

    /** The metadata slot's bytes, empty when the block has no such slot. */
    public static ByteString metadata(Block block, int slot) {
        BlockMetadata metadata = block.getMetadata();
        return slot < metadata.getMetadataCount() ? metadata.getMetadata(slot) : ByteString.EMPTY;
    }

    /**
     * Records the index of the block holding the channel configuration in force, where Fabric 2.x keeps it:
     * {@code OrdererBlockMetadata.last_config} inside the SIGNATURES slot, and the legacy LAST_CONFIG slot.
     * The consensus layer later adds its signatures to the same SIGNATURES entry.
     */
    public static Block withLastConfig(Block block, long lastConfigIndex) {
        LastConfig lastConfig = LastConfig.newBuilder().setIndex(lastConfigIndex).build();
        OrdererBlockMetadata ordererMetadata =
                OrdererBlockMetadata.newBuilder().setLastConfig(lastConfig).build();
        Block withSignatures = withMetadata(block, BlockMetadataSlots.SIGNATURES,
                Metadata.newBuilder().setValue(ordererMetadata.toByteString()).build().toByteString());
        return withMetadata(withSignatures, BlockMetadataSlots.LAST_CONFIG,
                Metadata.newBuilder().setValue(lastConfig.toByteString()).build().toByteString());
    }

    /** Sets TRANSACTIONS_FILTER: one validation code byte per envelope, as Fabric's {@code TxValidationFlags}. */
    public static Block withValidationCodes(Block block, List<TxValidationCode> codes) {
        if (codes.size() != block.getData().getDataCount()) {
            throw new IllegalArgumentException("validation codes: " + codes.size() + " for "
                    + block.getData().getDataCount() + " transactions");
        }
        byte[] filter = new byte[codes.size()];
        for (int i = 0; i < filter.length; i++) {
            filter[i] = (byte) codes.get(i).getNumber();
        }
        return withMetadata(block, BlockMetadataSlots.TRANSACTIONS_FILTER, ByteString.copyFrom(filter));
    }

    /**
     * The validation code of transaction {@code index}, or {@code NOT_VALIDATED} when the block carries no
     * filter yet (as Fabric treats an ordered but not yet validated block).
     */
    public static TxValidationCode validationCode(Block block, int index) {
        ByteString filter = metadata(block, BlockMetadataSlots.TRANSACTIONS_FILTER);
        if (index >= filter.size()) {
            return TxValidationCode.NOT_VALIDATED;
        }
        TxValidationCode code = TxValidationCode.forNumber(filter.byteAt(index) & 0xff);
        return code == null ? TxValidationCode.INVALID_OTHER_REASON : code;
    }

    /** Decodes envelope {@code index}; a malformed envelope is reported, never skipped silently. */
    public static Envelope envelope(Block block, int index) throws MalformedTransactionException {
        try {
            return Envelope.parseFrom(block.getData().getData(index));
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedTransactionException(TxValidationCode.BAD_PAYLOAD,
                    "block " + block.getHeader().getNumber() + " envelope " + index + " is not an Envelope", e);
        }
    }

    /** True when the header's data hash matches the data: the block's content is what its header commits to. */
    public static boolean dataHashMatches(Block block) {
        return block.getHeader().getDataHash().equals(BlockHashing.dataHashBytes(block.getData()));
    }
}
