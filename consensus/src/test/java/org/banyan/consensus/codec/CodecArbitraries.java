package org.banyan.consensus.codec;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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
import org.banyan.consensus.TimeoutCert;
import org.banyan.consensus.TimeoutSignature;
import org.banyan.consensus.VoteData;

/**
 * Valid consensus values built through the constructors the Replica uses, within {@link #LIMITS}: n = 7, at most
 * 6 payloads of at most 40 bytes per block (a limit of 256 bytes), 3 blocks per sync response.
 */
final class CodecArbitraries {
    static final ConsensusConfig CONFIG = new ConsensusConfig(7, 6, 256, 1_000, 16_000, false, 100, 4, 16, 100, 3,
            100);
    static final CodecLimits LIMITS = CodecLimits.from(CONFIG);
    static final int N = CONFIG.replicaCount();
    /** Rounds and heights stay far enough below the maximum that a child round never overflows. */
    static final long NUMBER_MAX = Long.MAX_VALUE / 4;

    private CodecArbitraries() {}

    static Arbitrary<Long> numbers() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 1_000), Arbitraries.longs().between(0, NUMBER_MAX));
    }

    static Arbitrary<Round> rounds() {
        return numbers().map(Round::new);
    }

    static Arbitrary<Digest> digests() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Digest::of);
    }

    static Arbitrary<ReplicaId> replicas() {
        return Arbitraries.integers().between(0, N - 1).map(ReplicaId::new);
    }

    static Arbitrary<byte[]> signatures() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(72);
    }

    static Arbitrary<List<ReplicaId>> signerSets() {
        return Arbitraries.integers().between(0, N - 1).set().ofMaxSize(N)
                .map(set -> set.stream().sorted().map(ReplicaId::new).toList());
    }

    static Arbitrary<VoteData> voteData() {
        return Combinators.combine(digests(), rounds(), numbers(), digests(), rounds())
                .as((id, round, height, parentId, parentRound) -> new VoteData(id, round, new Height(height),
                        parentId, parentRound));
    }

    static Arbitrary<QuorumCert> qcs() {
        Arbitrary<QuorumCert> signed = Combinators.combine(voteData(), signerSets(), signatures().list().ofSize(N))
                .as((data, signers, sigs) -> {
                    List<ReplicaSignature> signatures = new ArrayList<>();
                    for (int i = 0; i < signers.size(); i++) {
                        signatures.add(new ReplicaSignature(signers.get(i), sigs.get(i)));
                    }
                    return new QuorumCert(data, signatures);
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just(Block.genesisQc())),
                net.jqwik.api.Tuple.of(9, signed));
    }

    static Arbitrary<TimeoutCert> tcs() {
        return Combinators.combine(rounds(), signerSets(), rounds().list().ofSize(N), signatures().list().ofSize(N))
                .as((round, signers, highQcRounds, sigs) -> {
                    List<TimeoutSignature> timeouts = new ArrayList<>();
                    for (int i = 0; i < signers.size(); i++) {
                        timeouts.add(new TimeoutSignature(signers.get(i), highQcRounds.get(i), sigs.get(i)));
                    }
                    return new TimeoutCert(round, timeouts);
                });
    }

    static Arbitrary<String> payloadIds() {
        return Arbitraries.oneOf(Arbitraries.strings().alpha().numeric().withChars('-', 'é', '€', '字')
                .ofMinLength(1).ofMaxLength(24), Arbitraries.strings().withCharRange('a', 'z').ofLength(256),
                Arbitraries.just("\uD83D\uDE00"));
    }

    static Arbitrary<Payload> payloads() {
        return Combinators.combine(payloadIds(), Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
                .as(Payload::new);
    }

    static Arbitrary<List<Payload>> payloadLists() {
        return payloads().list().ofMaxSize(CONFIG.proposalPayloadsMax());
    }

    static Arbitrary<Block> blocks() {
        return Combinators.combine(qcs(), Arbitraries.longs().between(1, 1_000), replicas(), payloadLists())
                .as((parentQc, gap, author, payloads) -> new Block(new Round(parentQc.round().value() + gap), author,
                        parentQc, payloads));
    }

    static Arbitrary<Message> messages() {
        return Arbitraries.oneOf(
                Combinators.combine(blocks(), tcs().injectNull(0.5)).as(Message.Proposal::new),
                Combinators.combine(voteData(), replicas(), signatures()).as(Message.Vote::new),
                Combinators.combine(rounds(), qcs(), replicas(), signatures()).as(Message.Timeout::new),
                payloadLists().map(Message.PayloadForward::new),
                Combinators.combine(qcs(), qcs(), tcs().injectNull(0.5)).as(Message.SyncInfo::new),
                Combinators.combine(digests(), numbers()).as((id, h) -> new Message.SyncRequest(id, new Height(h))),
                blocks().list().ofMaxSize(CONFIG.syncBlocksMax()).map(Message.SyncResponse::new));
    }

    static Arbitrary<SafetyState> safetyStates() {
        return Combinators.combine(rounds(), qcs(), Arbitraries.longs().between(0, 1_000), tcs().injectNull(0.5))
                .as((lastVoted, highQc, lockBelow, tc) -> new SafetyState(lastVoted,
                        new Round(Math.max(0, highQc.round().value() - lockBelow)), highQc, tc));
    }
}
