package org.banyan.consensus.codec;

import org.banyan.consensus.Message;
import org.banyan.consensus.QuorumCert;
import org.banyan.consensus.ReplicaId;
import org.banyan.consensus.Round;

/**
 * Encodes and decodes every {@link Message} a replica sends. Layout: {@code u8 version (1) ‖ u8 tag ‖ body}, the
 * body's fields in a fixed order with fixed-width big-endian numbers and explicit lengths (see
 * {@link ValueCodec}), so each message has exactly one encoding: {@code decode(encode(m))} equals {@code m} and
 * {@code encode(decode(b))} is {@code b}.
 * <pre>
 * 1 Proposal       block ‖ optional tc
 * 2 Vote           voteData ‖ voter ‖ signature
 * 3 Timeout        round ‖ highQc ‖ author ‖ signature
 * 4 PayloadForward payloads
 * 5 SyncInfo       highQc ‖ highCommitQc ‖ optional highTc
 * 6 SyncRequest    blockId ‖ committedHeight
 * 7 SyncResponse   u32 count (&lt;= syncBlocksMax) ‖ block*
 * </pre>
 * Decoding checks only structure and the {@link CodecLimits}; signatures and protocol rules are the replica's
 * business. Stateless and immutable: safe to share between threads.
 */
public final class WireCodec {
    public static final int VERSION = 1;
    static final int PROPOSAL = 1;
    static final int VOTE = 2;
    static final int TIMEOUT = 3;
    static final int PAYLOAD_FORWARD = 4;
    static final int SYNC_INFO = 5;
    static final int SYNC_REQUEST = 6;
    static final int SYNC_RESPONSE = 7;

    private final ValueCodec values;

    public WireCodec(CodecLimits limits) {
        this.values = new ValueCodec(limits);
    }

    public CodecLimits limits() {
        return values.limits();
    }

    /**
     * The canonical bytes of {@code message}.
     *
     * @throws IllegalArgumentException if the message is outside the limits (it would not decode): more
     *     signers, payloads, blocks or bytes than allowed, a replica id {@code >= n}, signers not strictly
     *     ascending, a payload id that is not valid UTF-16, or the genesis block
     */
    public byte[] encode(Message message) {
        ByteWriter out = new ByteWriter().u8(VERSION);
        switch (message) {
            case Message.Proposal p -> {
                out.u8(PROPOSAL);
                values.block(out, p.block());
                values.optionalTc(out, p.tc());
            }
            case Message.Vote v -> {
                out.u8(VOTE);
                values.voteData(out, v.voteData());
                values.replica(out, v.voter());
                values.signature(out, v.signature());
            }
            case Message.Timeout t -> {
                out.u8(TIMEOUT).u64(t.round().value());
                values.qc(out, t.highQc());
                values.replica(out, t.author());
                values.signature(out, t.signature());
            }
            case Message.PayloadForward f -> values.payloads(out.u8(PAYLOAD_FORWARD), f.payloads());
            case Message.SyncInfo i -> {
                out.u8(SYNC_INFO);
                values.qc(out, i.highQc());
                values.qc(out, i.highCommitQc());
                values.optionalTc(out, i.highTc());
            }
            case Message.SyncRequest r -> {
                out.u8(SYNC_REQUEST);
                values.digest(out, r.blockId());
                out.u64(r.committedHeight().value());
            }
            case Message.SyncResponse r -> values.blocks(out.u8(SYNC_RESPONSE), r.blocks(), limits().syncBlocksMax());
        }
        if (out.size() > limits().messageBytesMax()) {
            throw new IllegalArgumentException("cannot encode: " + out.size() + " bytes, over messageBytesMax "
                    + limits().messageBytesMax());
        }
        return out.toByteArray();
    }

    /**
     * The message {@code bytes} encode. Never allocates more than a small constant beyond what the input
     * holds, and never throws anything but {@link MalformedMessageException} for bad input.
     *
     * @throws MalformedMessageException if {@code bytes} is longer than {@code messageBytesMax}, truncated,
     *     has trailing bytes, an unknown version or tag, a count or length over its limit, or field values the
     *     consensus types reject
     */
    public Message decode(byte[] bytes) throws MalformedMessageException {
        ByteReader in = versioned(bytes, "message");
        int tag = in.u8("tag");
        Message message = switch (tag) {
            case PROPOSAL -> new Message.Proposal(values.block(in, "proposal.block"),
                    values.optionalTc(in, "proposal.tc"));
            case VOTE -> new Message.Vote(values.voteData(in, "vote.voteData"), values.replica(in, "vote.voter"),
                    values.signature(in, "vote.signature"));
            case TIMEOUT -> new Message.Timeout(values.round(in, "timeout.round"), values.qc(in, "timeout.highQc"),
                    values.replica(in, "timeout.author"), values.signature(in, "timeout.signature"));
            case PAYLOAD_FORWARD -> new Message.PayloadForward(values.payloads(in, "forward.payloads"));
            case SYNC_INFO -> new Message.SyncInfo(values.qc(in, "syncInfo.highQc"),
                    values.qc(in, "syncInfo.highCommitQc"), values.optionalTc(in, "syncInfo.highTc"));
            case SYNC_REQUEST -> new Message.SyncRequest(values.digest(in, "syncRequest.blockId"),
                    values.height(in, "syncRequest.committedHeight"));
            case SYNC_RESPONSE -> new Message.SyncResponse(values.blocks(in, "syncResponse.blocks",
                    limits().syncBlocksMax()));
            default -> throw new MalformedMessageException("tag at byte 1: unknown message tag " + tag);
        };
        in.expectEnd("message");
        return message;
    }

    /**
     * The canonical bytes of a quorum certificate alone ({@code u8 version ‖ qc}, the {@code qc} layout of
     * {@link ValueCodec}), for storing a commit certificate outside a message (the node puts it in a block's
     * SIGNATURES metadata). {@code decodeQuorumCert(encodeQuorumCert(qc))} equals {@code qc}.
     *
     * @throws IllegalArgumentException if the certificate is outside the limits (see {@link #encode})
     */
    public byte[] encodeQuorumCert(QuorumCert qc) {
        ByteWriter out = new ByteWriter().u8(VERSION);
        values.qc(out, qc);
        return out.toByteArray();
    }

    /**
     * The quorum certificate {@code bytes} encode (see {@link #encodeQuorumCert}); structure and limits only,
     * signatures are not checked.
     *
     * @throws MalformedMessageException if {@code bytes} is longer than {@code messageBytesMax}, truncated, has
     *     trailing bytes, an unknown version or a count or length over its limit
     */
    public QuorumCert decodeQuorumCert(byte[] bytes) throws MalformedMessageException {
        ByteReader in = versioned(bytes, "quorum certificate");
        QuorumCert qc = values.qc(in, "qc");
        in.expectEnd("qc");
        return qc;
    }

    /**
     * The canonical bytes of a block witness: {@code u8 version ‖ round ‖ author ‖ parentQc ‖ commitQc} (the
     * {@link ValueCodec} layouts). The node stores it in each ledger block's SIGNATURES metadata.
     *
     * @throws IllegalArgumentException if a certificate is outside the limits (see {@link #encode})
     */
    public byte[] encodeWitness(BlockWitness witness) {
        ByteWriter out = new ByteWriter().u8(VERSION).u64(witness.round().value());
        values.replica(out, witness.author());
        values.qc(out, witness.parentQc());
        values.qc(out, witness.commitQc());
        return out.toByteArray();
    }

    /**
     * The block witness {@code bytes} encode (see {@link #encodeWitness}); structure and limits only, signatures
     * are not checked.
     *
     * @throws MalformedMessageException if the bytes are too long, truncated, have trailing bytes, an unknown
     *     version, a count or length over its limit, or a round not after the parent QC's
     */
    public BlockWitness decodeWitness(byte[] bytes) throws MalformedMessageException {
        ByteReader in = versioned(bytes, "block witness");
        Round round = values.round(in, "witness.round");
        ReplicaId author = values.replica(in, "witness.author");
        QuorumCert parentQc = values.qc(in, "witness.parentQc");
        if (!round.isAfter(parentQc.round()) || parentQc.height().value() == Long.MAX_VALUE) {
            throw new MalformedMessageException("witness: " + round + " not after parent QC " + parentQc.round()
                    + " (or parent height at the maximum)");
        }
        QuorumCert commitQc = values.qc(in, "witness.commitQc");
        in.expectEnd("witness");
        return new BlockWitness(round, author, parentQc, commitQc);
    }

    /** A reader over {@code bytes} positioned after a checked version byte. */
    private ByteReader versioned(byte[] bytes, String what) throws MalformedMessageException {
        if (bytes.length > limits().messageBytesMax()) {
            throw new MalformedMessageException(what + " of " + bytes.length + " bytes, over messageBytesMax "
                    + limits().messageBytesMax());
        }
        ByteReader in = new ByteReader(bytes, 0, bytes.length);
        int version = in.u8("version");
        if (version != VERSION) {
            throw new MalformedMessageException("version at byte 0: unknown version " + version + ", expected "
                    + VERSION);
        }
        return in;
    }
}
