package org.banyan.consensus.codec;

import java.util.List;
import java.util.zip.CRC32C;
import org.banyan.consensus.Block;
import org.banyan.consensus.Round;
import org.banyan.consensus.SafetyState;

/**
 * Encodes the record the node fsyncs for {@code Actions.persist()} and {@code Actions.saveBlocks()}: the
 * {@link SafetyState} and the uncommitted blocks the replica holds, fed back in {@code Event.Started} after a
 * restart. Layout:
 * <pre>
 * "BSS1" magic ‖ u8 version (1) ‖ lastVotedRound ‖ lockedRound ‖ highQc ‖ optional highTc
 *   ‖ u32 count (&lt;= savedBlocksMax) ‖ block* ‖ u32 CRC32C of every preceding byte
 * </pre>
 * The whole record is meant to be written as one unit (write to a temporary file, fsync, rename): a torn or
 * bit-rotted record fails the checksum and {@link #decode} throws {@link CorruptStateException}. Stateless and
 * immutable.
 */
public final class SafetyStateCodec {
    public static final int VERSION = 1;
    static final byte[] MAGIC = {'B', 'S', 'S', '1'};
    static final int CHECKSUM_BYTES = 4;

    /** What a record holds. */
    public record Saved(SafetyState state, List<Block> blocks) {
        public Saved {
            blocks = List.copyOf(blocks);
        }
    }

    private final ValueCodec values;

    public SafetyStateCodec(CodecLimits limits) {
        this.values = new ValueCodec(limits);
    }

    /**
     * The record for {@code state} and {@code blocks} (any order; kept as given).
     *
     * @throws IllegalArgumentException if a value is outside the limits (more than {@code savedBlocksMax}
     *     blocks, a certificate that would not decode, ...)
     */
    public byte[] encode(SafetyState state, List<Block> blocks) {
        ByteWriter out = new ByteWriter().bytes(MAGIC).u8(VERSION);
        out.u64(state.lastVotedRound().value()).u64(state.lockedRound().value());
        values.qc(out, state.highQc());
        values.optionalTc(out, state.highTc());
        values.blocks(out, blocks, values.limits().savedBlocksMax());
        byte[] body = out.toByteArray();
        return out.u32(checksum(body, body.length)).toByteArray();
    }

    /**
     * The state and blocks of a record written by {@link #encode}.
     *
     * @throws CorruptStateException if the record is short, fails its checksum, has an unknown magic or version,
     *     or does not decode
     */
    public Saved decode(byte[] record) throws CorruptStateException {
        int bodyBytes = record.length - CHECKSUM_BYTES;
        if (bodyBytes < MAGIC.length + 1) {
            throw new CorruptStateException("safety-state record of " + record.length + " bytes is too short (torn)");
        }
        int stored = (record[bodyBytes] & 0xff) << 24 | (record[bodyBytes + 1] & 0xff) << 16
                | (record[bodyBytes + 2] & 0xff) << 8 | (record[bodyBytes + 3] & 0xff);
        int computed = checksum(record, bodyBytes);
        if (stored != computed) {
            throw new CorruptStateException(String.format(
                    "safety-state record checksum mismatch: stored %08x, computed %08x over %d bytes (torn or corrupt)",
                    stored, computed, bodyBytes));
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (record[i] != MAGIC[i]) {
                throw new CorruptStateException("not a safety-state record: bad magic at byte " + i);
            }
        }
        if (record[MAGIC.length] != VERSION) {
            throw new CorruptStateException("safety-state record version " + record[MAGIC.length] + ", expected "
                    + VERSION);
        }
        try {
            return decodeBody(new ByteReader(record, MAGIC.length + 1, bodyBytes));
        } catch (MalformedMessageException e) {
            throw new CorruptStateException("safety-state record does not decode: " + e.getMessage(), e);
        }
    }

    private Saved decodeBody(ByteReader in) throws MalformedMessageException {
        int at = in.position();
        Round lastVotedRound = values.round(in, "lastVotedRound");
        Round lockedRound = values.round(in, "lockedRound");
        var highQc = values.qc(in, "highQc");
        if (lockedRound.isAfter(highQc.round())) {
            throw new MalformedMessageException("lockedRound at byte " + at + ": " + lockedRound
                    + " above highQc round " + highQc.round());
        }
        var highTc = values.optionalTc(in, "highTc");
        List<Block> blocks = values.blocks(in, "blocks", values.limits().savedBlocksMax());
        in.expectEnd("record");
        return new Saved(new SafetyState(lastVotedRound, lockedRound, highQc, highTc), blocks);
    }

    private static int checksum(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
