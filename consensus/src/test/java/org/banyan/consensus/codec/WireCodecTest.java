package org.banyan.consensus.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.banyan.consensus.Block;
import org.banyan.consensus.ConsensusConfig;
import org.banyan.consensus.Digest;
import org.banyan.consensus.Height;
import org.banyan.consensus.Message;
import org.banyan.consensus.Payload;
import org.banyan.consensus.QuorumCert;
import org.banyan.consensus.ReplicaId;
import org.banyan.consensus.ReplicaSignature;
import org.banyan.consensus.Round;
import org.banyan.consensus.SafetyState;
import org.banyan.consensus.VoteData;
import org.junit.jupiter.api.Test;

/** Hand-built hostile inputs: each over-limit count or length is rejected with a message naming the field. */
class WireCodecTest {
    private static final CodecLimits LIMITS = CodecArbitraries.LIMITS; // n = 7, 6 payloads / 256 bytes, 3 sync blocks
    private static final WireCodec CODEC = new WireCodec(LIMITS);
    private static final SafetyStateCodec STATE_CODEC = new SafetyStateCodec(LIMITS);
    private static final VoteData DATA = new VoteData(Digest.sha256(new byte[] {1}), new Round(5), new Height(3),
            Digest.sha256(new byte[] {2}), new Round(4));

    private static ByteWriter header(int tag) {
        return new ByteWriter().u8(WireCodec.VERSION).u8(tag);
    }

    private static ByteWriter zeroVoteData(ByteWriter out) {
        return out.bytes(new byte[ValueCodec.VOTE_DATA_BYTES]);
    }

    /** A Timeout whose QC is written by {@code qcSigners} (count and entries), then a valid tail. */
    private static byte[] timeoutWithQcSigners(java.util.function.Consumer<ByteWriter> qcSigners) {
        ByteWriter out = header(WireCodec.TIMEOUT).u64(9);
        zeroVoteData(out);
        qcSigners.accept(out);
        return out.u32(0).u32(0).toByteArray(); // author R0, empty signature
    }

    private static void assertMalformed(byte[] bytes, String... fragments) {
        assertThatThrownBy(() -> CODEC.decode(bytes)).isInstanceOf(MalformedMessageException.class)
                .message().contains(fragments);
    }

    @Test
    void rejectsEmptyUnknownVersionUnknownTagAndTrailingBytes() throws MalformedMessageException {
        assertMalformed(new byte[0], "version", "needs 1 bytes, 0 left");
        assertMalformed(new byte[] {2, 1}, "unknown version 2");
        assertMalformed(new byte[] {1, 0}, "unknown message tag 0");
        assertMalformed(new byte[] {1, (byte) 200}, "unknown message tag 200");
        byte[] vote = CODEC.encode(new Message.Vote(DATA, new ReplicaId(2), new byte[] {7, 7}));
        assertThat(CODEC.decode(vote)).isInstanceOf(Message.Vote.class);
        byte[] longer = java.util.Arrays.copyOf(vote, vote.length + 1);
        assertMalformed(longer, "message at byte " + vote.length, "1 trailing bytes");
    }

    @Test
    void rejectsMessagesOverTheByteLimitBeforeReadingThem() {
        assertMalformed(new byte[LIMITS.messageBytesMax() + 1], "over messageBytesMax");
    }

    @Test
    void boundsCertificateSignersByNAndRequiresThemStrictlyAscending() {
        assertMalformed(timeoutWithQcSigners(out -> out.u32(8)), "timeout.highQc.signers at byte 98",
                "8 outside [0, 7]");
        assertMalformed(timeoutWithQcSigners(out -> out.u32(-1)), "4294967295 outside [0, 7]");
        assertMalformed(timeoutWithQcSigners(out -> out.u32(7)), "timeout.highQc.signatures", "needs 56 bytes");
        assertMalformed(timeoutWithQcSigners(out -> out.u32(2).u32(3).u32(0).u32(3).u32(0)),
                "timeout.highQc.signer[1]", "R3 not after R3");
        assertMalformed(timeoutWithQcSigners(out -> out.u32(2).u32(3).u32(0).u32(1).u32(0)), "R1 not after R3");
        assertMalformed(timeoutWithQcSigners(out -> out.u32(1).u32(7).u32(0)), "timeout.highQc.signer[0]",
                "7 outside [0, 6]");
        assertMalformed(header(WireCodec.SYNC_INFO).bytes(new byte[88]).u32(0).bytes(new byte[88]).u32(0).u8(1)
                .u64(3).u32(2).u32(1).u64(0).u32(0).u32(0).u64(0).u32(0).toByteArray(), "syncInfo.highTc.signer[1]",
                "R0 not after R1");
    }

    @Test
    void boundsSignatureLengths() {
        assertMalformed(zeroVoteData(header(WireCodec.VOTE)).u32(1).u32(513).toByteArray(),
                "vote.signature.length", "513 outside [0, 512]");
        assertMalformed(zeroVoteData(header(WireCodec.VOTE)).u32(1).u32(100).u8(1).u8(2).toByteArray(),
                "vote.signature", "needs 100 bytes, 2 left");
        assertMalformed(zeroVoteData(header(WireCodec.VOTE)).u32(7).u32(0).toByteArray(), "vote.voter",
                "7 outside [0, 6]");
    }

    @Test
    void boundsPayloadCountsIdsAndBytes() {
        assertMalformed(header(WireCodec.PAYLOAD_FORWARD).u32(7).toByteArray(), "forward.payloads.count",
                "7 outside [0, 6]");
        assertMalformed(header(WireCodec.PAYLOAD_FORWARD).u32(6).toByteArray(), "forward.payloads",
                "needs 54 bytes, 0 left");
        byte[] id = "tx".getBytes(StandardCharsets.UTF_8);
        assertMalformed(header(WireCodec.PAYLOAD_FORWARD).u32(2).u32(2).bytes(id).u32(200).bytes(new byte[200])
                .u32(2).bytes(id).u32(57).bytes(new byte[57]).toByteArray(), "forward.payloads[1].length",
                "57 outside [0, 56]");
        assertMalformed(header(WireCodec.PAYLOAD_FORWARD).u32(1).u32(1).u8('x').u32(257).bytes(new byte[257])
                .toByteArray(), "forward.payloads[0].length", "257 outside [0, 256]");
        assertMalformed(header(WireCodec.PAYLOAD_FORWARD).u32(1).u32(0).u32(0).u8(0).toByteArray(),
                "forward.payloads[0].idLength", "0 outside [1, 768]");
        assertMalformed(header(WireCodec.PAYLOAD_FORWARD).u32(1).u32(769).u32(0).u8(0).toByteArray(), "769 outside [1, 768]");
        assertMalformed(header(WireCodec.PAYLOAD_FORWARD).u32(1).u32(2).u8(0xc0).u8(0x80).u32(0).toByteArray(),
                "forward.payloads[0].id at byte 10", "not canonical UTF-8");
        assertMalformed(header(WireCodec.PAYLOAD_FORWARD).u32(1).u32(3).u8(0xed).u8(0xa0).u8(0x80).u32(0)
                .toByteArray(), "not canonical UTF-8"); // an encoded lone surrogate
        assertMalformed(header(WireCodec.PAYLOAD_FORWARD).u32(1).u32(257).bytes(new byte[257]).toByteArray(),
                "of at most 256 chars");
    }

    @Test
    void boundsSyncBlocksAndChecksBlockRounds() throws MalformedMessageException {
        assertMalformed(header(WireCodec.SYNC_RESPONSE).u32(4).toByteArray(), "syncResponse.blocks.count",
                "4 outside [0, 3]");
        assertMalformed(header(WireCodec.SYNC_RESPONSE).u32(3).toByteArray(), "needs 324 bytes");
        // A block whose round (4) is not after its parent QC's round (5).
        ByteWriter block = header(WireCodec.PROPOSAL).u64(4).u32(1);
        new ValueCodec(LIMITS).qc(block, new QuorumCert(DATA, List.of()));
        assertMalformed(block.u32(0).u8(0).toByteArray(), "proposal.block at byte 2", "r4 not after parent QC r5");
        ByteWriter ok = header(WireCodec.PROPOSAL).u64(6).u32(1);
        new ValueCodec(LIMITS).qc(ok, new QuorumCert(DATA, List.of()));
        byte[] valid = ok.u32(0).u8(0).toByteArray();
        assertThat(((Message.Proposal) CODEC.decode(valid)).block().height()).isEqualTo(new Height(4));
        valid[valid.length - 1] = 2;
        assertMalformed(valid, "proposal.tc.present", "flag byte 2 is neither 0 nor 1");
    }

    @Test
    void rejectsNegativeRoundsAndHeights() {
        assertMalformed(header(WireCodec.SYNC_REQUEST).bytes(new byte[32]).u64(Long.MIN_VALUE).toByteArray(),
                "syncRequest.committedHeight at byte 34", "is negative");
        assertMalformed(header(WireCodec.TIMEOUT).u64(-1).toByteArray(), "timeout.round", "is negative");
    }

    @Test
    void refusesToEncodeWhatWouldNotDecode() {
        QuorumCert unordered = new QuorumCert(DATA, List.of(new ReplicaSignature(new ReplicaId(2), new byte[1]),
                new ReplicaSignature(new ReplicaId(1), new byte[1])));
        assertThatThrownBy(() -> CODEC.encode(new Message.SyncInfo(unordered, unordered, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not strictly ascending");
        assertThatThrownBy(() -> CODEC.encode(new Message.Vote(DATA, new ReplicaId(7), new byte[1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("R7 with n=7");
        assertThatThrownBy(() -> CODEC.encode(new Message.SyncResponse(List.of(Block.genesis()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("genesis");
        List<Payload> seven = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            seven.add(new Payload("tx" + i, new byte[0]));
        }
        assertThatThrownBy(() -> CODEC.encode(new Message.PayloadForward(seven)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 payloads");
        assertThatThrownBy(() -> CODEC.encode(new Message.PayloadForward(List.of(new Payload("x", new byte[257])))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload bytes 257 over 256");
        assertThatThrownBy(() -> CODEC.encode(new Message.PayloadForward(List.of(new Payload("\uD800", new byte[0])))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate");
    }

    @Test
    void defaultLimitsAdmitTheLargestMessagesTheReplicaSends() throws MalformedMessageException {
        ConsensusConfig config = ConsensusConfig.defaults(4);
        CodecLimits limits = CodecLimits.from(config);
        assertThat((long) limits.messageBytesMax()).isGreaterThan(config.syncBlocksMax() * config.proposalBytesMax());
        assertThat(limits.messageBytesMax()).isLessThanOrEqualTo(CodecLimits.MESSAGE_BYTES_CAP);
        // A full default block: 500 payloads with 256-char ids, 10 MiB in total.
        List<Payload> payloads = new ArrayList<>();
        int each = (int) (config.proposalBytesMax() / config.proposalPayloadsMax());
        for (int i = 0; i < config.proposalPayloadsMax(); i++) {
            payloads.add(new Payload(String.format("%0256d", i), new byte[each]));
        }
        Block full = new Block(new Round(1), new ReplicaId(3), Block.genesisQc(), payloads);
        WireCodec codec = new WireCodec(limits);
        assertThat(((Message.Proposal) codec.decode(codec.encode(new Message.Proposal(full, null)))).block())
                .isEqualTo(full);
        assertThat(CodecLimits.from(new ConsensusConfig(4, 500, 10L << 20, 1_000, 16_000, false, 100_000, 1_024,
                1_024, 100_000, 200, 100)).messageBytesMax())
                .isEqualTo(CodecLimits.MESSAGE_BYTES_CAP);
    }

    // ---- the safety-state record ----

    private static byte[] withChecksum(ByteWriter body) {
        byte[] bytes = body.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return body.u32((int) crc.getValue()).toByteArray();
    }

    private static void assertCorrupt(byte[] record, String... fragments) {
        assertThatThrownBy(() -> STATE_CODEC.decode(record)).isInstanceOf(CorruptStateException.class).message()
                .contains(fragments);
    }

    @Test
    void safetyStateRecordDetectsTornAndCorruptRecords() throws CorruptStateException {
        QuorumCert qc = new QuorumCert(DATA, List.of(new ReplicaSignature(new ReplicaId(0), new byte[] {9})));
        Block block = new Block(new Round(6), new ReplicaId(1), qc, List.of(new Payload("tx-1", new byte[] {1})));
        SafetyState state = new SafetyState(new Round(6), new Round(4), qc, null);
        byte[] record = STATE_CODEC.encode(state, List.of(block));
        assertThat(STATE_CODEC.decode(record)).isEqualTo(new SafetyStateCodec.Saved(state, List.of(block)));

        assertCorrupt(new byte[0], "0 bytes is too short");
        assertCorrupt(java.util.Arrays.copyOf(record, record.length - 1), "checksum mismatch");
        byte[] flipped = record.clone();
        flipped[20] ^= 0x10;
        assertCorrupt(flipped, "checksum mismatch");
        assertCorrupt(withChecksum(new ByteWriter().bytes("XSS1".getBytes(StandardCharsets.US_ASCII)).u8(1)),
                "bad magic at byte 0");
        assertCorrupt(withChecksum(new ByteWriter().bytes(SafetyStateCodec.MAGIC).u8(2)), "version 2, expected 1");
        // A valid checksum over a body that breaks SafetyState's rule lockedRound <= highQc.round.
        ByteWriter locked = new ByteWriter().bytes(SafetyStateCodec.MAGIC).u8(1).u64(6).u64(6);
        new ValueCodec(LIMITS).qc(locked, qc);
        assertCorrupt(withChecksum(locked.u8(0).u32(0)), "does not decode", "lockedRound", "r6 above highQc round r5");
        ByteWriter tooMany = new ByteWriter().bytes(SafetyStateCodec.MAGIC).u8(1).u64(6).u64(4);
        new ValueCodec(LIMITS).qc(tooMany, qc);
        assertCorrupt(withChecksum(tooMany.u8(0).u32(5)), "blocks.count", "5 outside [0, 4]");
        assertThatThrownBy(() -> STATE_CODEC.encode(state, List.of(block, block, block, block, block)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 blocks, at most 4");
    }
}
