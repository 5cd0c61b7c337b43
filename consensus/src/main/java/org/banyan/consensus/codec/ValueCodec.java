package org.banyan.consensus.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.banyan.consensus.Block;
import org.banyan.consensus.Digest;
import org.banyan.consensus.Height;
import org.banyan.consensus.Payload;
import org.banyan.consensus.QuorumCert;
import org.banyan.consensus.ReplicaId;
import org.banyan.consensus.ReplicaSignature;
import org.banyan.consensus.Round;
import org.banyan.consensus.TimeoutCert;
import org.banyan.consensus.TimeoutSignature;
import org.banyan.consensus.VoteData;

/**
 * The encoding of the values inside messages and saved state, in one place for {@link WireCodec} and
 * {@link SafetyStateCodec}. Fixed-width big-endian fields (so every value has exactly one encoding):
 * <pre>
 * digest      = 32 bytes
 * round/height= u64, &gt;= 0          replicaId = u32, &lt; n
 * signature   = u32 length (&lt;= signatureBytesMax) ‖ bytes
 * voteData    = blockId ‖ round ‖ height ‖ parentId ‖ parentRound                (88 bytes)
 * qc          = voteData ‖ u32 count (&lt;= n) ‖ (signer ‖ signature)*            signers strictly ascending
 * tc          = round ‖ u32 count (&lt;= n) ‖ (signer ‖ highQcRound ‖ signature)* signers strictly ascending
 * payload     = u32 idLength (1..768) ‖ UTF-8 id (1..256 chars) ‖ u32 length ‖ bytes
 * payloads    = u32 count (&lt;= blockPayloadsMax) ‖ payload*         total bytes &lt;= blockPayloadBytesMax
 * block       = round ‖ author ‖ parentQc ‖ payloads                 round &gt; parentQc.round; never genesis
 * optional x  = u8 0 | u8 1 ‖ x
 * </pre>
 * Encoding checks the same rules and throws {@link IllegalArgumentException} for a value outside them, so
 * whatever encodes also decodes.
 */
final class ValueCodec {
    static final int DIGEST_BYTES = 32;
    static final int VOTE_DATA_BYTES = 2 * DIGEST_BYTES + 3 * 8;
    static final int QC_BYTES_MIN = VOTE_DATA_BYTES + 4;
    static final int QC_ENTRY_BYTES_MIN = 4 + 4;
    static final int TC_ENTRY_BYTES_MIN = 4 + 8 + 4;
    static final int PAYLOAD_BYTES_MIN = 4 + 1 + 4;
    static final int BLOCK_BYTES_MIN = 8 + 4 + QC_BYTES_MIN + 4;

    private final CodecLimits limits;

    ValueCodec(CodecLimits limits) {
        this.limits = limits;
    }

    CodecLimits limits() {
        return limits;
    }

    private static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException("cannot encode: " + String.format(format, args));
        }
    }

    // ---- encoding ----

    void digest(ByteWriter out, Digest digest) {
        out.bytes(digest.bytes());
    }

    void replica(ByteWriter out, ReplicaId id) {
        check(id.value() < limits.replicaCount(), "replica %s with n=%d", id, limits.replicaCount());
        out.u32(id.value());
    }

    void signature(ByteWriter out, byte[] signature) {
        check(signature.length <= limits.signatureBytesMax(), "signature of %d bytes", signature.length);
        out.u32(signature.length).bytes(signature);
    }

    void voteData(ByteWriter out, VoteData data) {
        digest(out, data.blockId());
        out.u64(data.round().value()).u64(data.height().value());
        digest(out, data.parentId());
        out.u64(data.parentRound().value());
    }

    void qc(ByteWriter out, QuorumCert qc) {
        voteData(out, qc.voteData());
        out.u32(qc.signatures().size());
        ReplicaId previous = null;
        for (ReplicaSignature s : qc.signatures()) {
            check(previous == null || s.signer().compareTo(previous) > 0, "QC signers not strictly ascending: %s after %s",
                    s.signer(), previous);
            replica(out, s.signer());
            signature(out, s.signature());
            previous = s.signer();
        }
    }

    void tc(ByteWriter out, TimeoutCert tc) {
        out.u64(tc.round().value()).u32(tc.timeouts().size());
        ReplicaId previous = null;
        for (TimeoutSignature t : tc.timeouts()) {
            check(previous == null || t.signer().compareTo(previous) > 0, "TC signers not strictly ascending: %s after %s",
                    t.signer(), previous);
            replica(out, t.signer());
            out.u64(t.highQcRound().value());
            signature(out, t.signature());
            previous = t.signer();
        }
    }

    void optionalTc(ByteWriter out, TimeoutCert tc) {
        out.u8(tc == null ? 0 : 1);
        if (tc != null) {
            tc(out, tc);
        }
    }

    void payloads(ByteWriter out, List<Payload> payloads) {
        check(payloads.size() <= limits.blockPayloadsMax(), "%d payloads", payloads.size());
        out.u32(payloads.size());
        long total = 0;
        for (Payload payload : payloads) {
            byte[] id = payload.payloadId().getBytes(StandardCharsets.UTF_8);
            check(new String(id, StandardCharsets.UTF_8).equals(payload.payloadId()),
                    "payload id %s is not valid UTF-16 (lone surrogate)", payload.payloadId());
            total += payload.sizeBytes();
            check(total <= limits.blockPayloadBytesMax(), "payload bytes %d over %d", total,
                    limits.blockPayloadBytesMax());
            out.u32(id.length).bytes(id).u32(payload.sizeBytes()).bytes(payload.bytes());
        }
    }

    void block(ByteWriter out, Block block) {
        check(!block.isGenesis(), "the genesis block is never sent or saved");
        out.u64(block.round().value());
        replica(out, block.author());
        qc(out, block.parentQc());
        payloads(out, block.payloads());
    }

    void blocks(ByteWriter out, List<Block> blocks, int max) {
        check(blocks.size() <= max, "%d blocks, at most %d", blocks.size(), max);
        out.u32(blocks.size());
        for (Block block : blocks) {
            block(out, block);
        }
    }

    // ---- decoding ----

    Digest digest(ByteReader in, String what) throws MalformedMessageException {
        return Digest.of(in.bytes(DIGEST_BYTES, what));
    }

    Round round(ByteReader in, String what) throws MalformedMessageException {
        return new Round(in.u64(what));
    }

    Height height(ByteReader in, String what) throws MalformedMessageException {
        return new Height(in.u64(what));
    }

    ReplicaId replica(ByteReader in, String what) throws MalformedMessageException {
        return new ReplicaId(in.u32In(what, 0, limits.replicaCount() - 1));
    }

    byte[] signature(ByteReader in, String what) throws MalformedMessageException {
        int length = in.u32In(what + ".length", 0, limits.signatureBytesMax());
        return in.bytes(length, what);
    }

    VoteData voteData(ByteReader in, String what) throws MalformedMessageException {
        return new VoteData(digest(in, what + ".blockId"), round(in, what + ".round"), height(in, what + ".height"),
                digest(in, what + ".parentId"), round(in, what + ".parentRound"));
    }

    QuorumCert qc(ByteReader in, String what) throws MalformedMessageException {
        VoteData data = voteData(in, what + ".voteData");
        List<ReplicaSignature> signatures = signed(in, what, QC_ENTRY_BYTES_MIN, (signer, index) ->
                new ReplicaSignature(signer, signature(in, what + ".signature[" + index + "]")));
        return new QuorumCert(data, signatures);
    }

    TimeoutCert tc(ByteReader in, String what) throws MalformedMessageException {
        Round round = round(in, what + ".round");
        List<TimeoutSignature> timeouts = signed(in, what, TC_ENTRY_BYTES_MIN, (signer, index) ->
                new TimeoutSignature(signer, round(in, what + ".highQcRound[" + index + "]"),
                        signature(in, what + ".signature[" + index + "]")));
        return new TimeoutCert(round, timeouts);
    }

    /** Reads one certificate entry after its signer id. */
    @FunctionalInterface
    private interface SignedEntry<T> {
        T read(ReplicaId signer, int index) throws MalformedMessageException;
    }

    /** A certificate's entries: a bounded count, then entries whose signers are strictly ascending. */
    private <T> List<T> signed(ByteReader in, String what, int entryBytesMin, SignedEntry<T> entry)
            throws MalformedMessageException {
        int count = in.u32In(what + ".signers", 0, limits.replicaCount());
        in.require((long) count * entryBytesMin, what + ".signatures");
        List<T> entries = new ArrayList<>(count);
        ReplicaId previous = null;
        for (int i = 0; i < count; i++) {
            ReplicaId signer = replica(in, what + ".signer[" + i + "]");
            if (previous != null && signer.compareTo(previous) <= 0) {
                throw in.malformed(what + ".signer[" + i + "]", "%s not after %s (signers strictly ascending)",
                        signer, previous);
            }
            entries.add(entry.read(signer, i));
            previous = signer;
        }
        return entries;
    }

    TimeoutCert optionalTc(ByteReader in, String what) throws MalformedMessageException {
        return in.flag(what + ".present") ? tc(in, what) : null;
    }

    List<Payload> payloads(ByteReader in, String what) throws MalformedMessageException {
        int count = in.u32In(what + ".count", 0, limits.blockPayloadsMax());
        in.require((long) count * PAYLOAD_BYTES_MIN, what);
        List<Payload> payloads = new ArrayList<>(count);
        long total = 0;
        for (int i = 0; i < count; i++) {
            String field = what + "[" + i + "]";
            int idLength = in.u32In(field + ".idLength", 1, CodecLimits.PAYLOAD_ID_BYTES_MAX);
            int idAt = in.position();
            byte[] idBytes = in.bytes(idLength, field + ".id");
            String id = new String(idBytes, StandardCharsets.UTF_8);
            // Strict UTF-8: malformed input decodes to U+FFFD and then does not re-encode to the same bytes.
            if (!Arrays.equals(id.getBytes(StandardCharsets.UTF_8), idBytes)
                    || id.length() > Payload.PAYLOAD_ID_CHARS_MAX) {
                throw new MalformedMessageException(field + ".id at byte " + idAt
                        + ": not canonical UTF-8 of at most " + Payload.PAYLOAD_ID_CHARS_MAX + " chars");
            }
            long lengthMax = limits.blockPayloadBytesMax() - total;
            int length = in.u32In(field + ".length", 0, Math.min(lengthMax, Integer.MAX_VALUE));
            total += length;
            payloads.add(new Payload(id, in.bytes(length, field + ".bytes")));
        }
        return payloads;
    }

    Block block(ByteReader in, String what) throws MalformedMessageException {
        int at = in.position();
        Round round = round(in, what + ".round");
        ReplicaId author = replica(in, what + ".author");
        QuorumCert parentQc = qc(in, what + ".parentQc");
        if (!round.isAfter(parentQc.round()) || parentQc.height().value() == Long.MAX_VALUE) {
            throw new MalformedMessageException(what + " at byte " + at + ": " + round + " not after parent QC "
                    + parentQc.round() + " (or parent height at the maximum)");
        }
        return new Block(round, author, parentQc, payloads(in, what + ".payloads"));
    }

    List<Block> blocks(ByteReader in, String what, int max) throws MalformedMessageException {
        int count = in.u32In(what + ".count", 0, max);
        in.require((long) count * BLOCK_BYTES_MIN, what);
        List<Block> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            blocks.add(block(in, what + "[" + i + "]"));
        }
        return blocks;
    }
}
