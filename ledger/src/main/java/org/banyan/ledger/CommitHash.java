package org.banyan.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.banyan.crypto.Hashes;
import org.banyan.ledger.state.StateUpdate;
import org.banyan.protocol.BlockMetadataSlots;
import org.banyan.protocol.Blocks;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Metadata;

/**
 * The chained commit hash, for the same purpose as Fabric's COMMIT_HASH metadata: two peers that applied the
 * same blocks but reached different state end up with different hashes, so divergence shows without
 * comparing databases. Pure functions.
 *
 * <pre>
 * commitHash(n) = SHA-256( u32 len | commitHash(n-1)          -- empty for block 0
 *                        | u32 count | validation code bytes    -- TRANSACTIONS_FILTER, one per tx
 *                        | u32 count | update*  )               -- sorted by (namespace, key)
 * update = str namespace | str key | u8 delete | bytes value
 *        | u8 metadataKept | u32 count | (str name | bytes value)*   -- metadata sorted by name
 *        | u64 block | u32 tx
 * str, bytes = u32 length | bytes (UTF-8 for strings), integers big-endian
 * </pre>
 *
 * Stored as {@code common.Metadata{value = hash}} in the block's COMMIT_HASH slot, as Fabric does.
 */
public final class CommitHash {
    private CommitHash() {}

    /**
     * The commit hash of {@code block} given the previous block's commit hash (empty for block 0) and the
     * block's state updates as computed by {@link BlockUpdates}.
     */
    public static ByteString compute(ByteString previous, Block block, List<StateUpdate> updates) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + updates.size() * 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeBytes(out, previous.toByteArray());
            writeBytes(out, Blocks.metadata(block, BlockMetadataSlots.TRANSACTIONS_FILTER).toByteArray());
            out.writeInt(updates.size());
            for (StateUpdate update : updates) {
                writeUpdate(out, update);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory stream", e);
        }
        return ByteString.copyFrom(Hashes.sha256(bytes.toByteArray()));
    }

    /** The block with its COMMIT_HASH slot set. */
    public static Block stamp(Block block, ByteString hash) {
        return Blocks.withMetadata(block, BlockMetadataSlots.COMMIT_HASH,
                Metadata.newBuilder().setValue(hash).build().toByteString());
    }

    /**
     * The commit hash recorded in a block read from the block store. Every block there was stamped by
     * {@code ChannelLedger.commit} — the genesis block too, since {@code ChannelLedger.create} commits it — so
     * a missing, unparseable or wrongly sized hash is damage, never "not recorded". Replay, opening and the
     * derived-store verifier all read the hash through here, so they agree on what is damaged.
     *
     * @throws LedgerCorruptedException naming the block when its COMMIT_HASH slot holds no SHA-256 hash
     */
    public static ByteString recorded(Block block) {
        long number = block.getHeader().getNumber();
        ByteString slot = Blocks.metadata(block, BlockMetadataSlots.COMMIT_HASH);
        ByteString hash;
        try {
            hash = Metadata.parseFrom(slot).getValue();
        } catch (InvalidProtocolBufferException e) {
            throw new LedgerCorruptedException("block " + number + ": the COMMIT_HASH metadata cannot be parsed ("
                    + e.getMessage() + "); the block store holds a block that was not committed by this ledger"
                    + " or was damaged");
        }
        if (hash.size() != Hashes.SHA256_BYTES) {
            throw new LedgerCorruptedException("block " + number + ": the COMMIT_HASH metadata holds "
                    + hash.size() + " bytes, not a " + Hashes.SHA256_BYTES + "-byte commit hash; the block store"
                    + " holds a block that was not committed by this ledger or was damaged");
        }
        return hash;
    }

    private static void writeUpdate(DataOutputStream out, StateUpdate update) throws IOException {
        writeString(out, update.namespace());
        writeString(out, update.key());
        out.writeBoolean(update.delete());
        writeBytes(out, update.delete() ? new byte[0] : update.value().toByteArray());
        out.writeBoolean(update.metadata() == null);
        if (update.metadata() == null) {
            out.writeInt(0);
        } else {
            out.writeInt(update.metadata().size());
            for (Map.Entry<String, ByteString> entry : update.metadata().entrySet()) {
                writeString(out, entry.getKey());
                writeBytes(out, entry.getValue().toByteArray());
            }
        }
        out.writeLong(update.version().blockNumber());
        out.writeInt(update.version().txNumber());
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }
}
