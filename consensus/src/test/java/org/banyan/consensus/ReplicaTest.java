package org.banyan.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unit tests of single steps: they assert the returned actions, never interactions. */
class ReplicaTest {
    private static final ConsensusConfig FOUR = ConsensusConfig.defaults(4);

    private static Replica replica(int id, ConsensusConfig config, PayloadValidator validator) {
        Replica replica = new Replica(new ReplicaId(id), config, FakeKeys.signer(new ReplicaId(id)), FakeKeys.VERIFIER,
                validator, LeaderSchedule.roundRobin(config.replicaCount()));
        replica.step(new Event.Started(0, SafetyState.initial(), List.of(), CommittedTip.genesis(), List.of()));
        return replica;
    }

    private static Payload payload(String id) {
        return new Payload(id, id.getBytes(StandardCharsets.UTF_8));
    }

    private static QuorumCert qcFor(Block block, int... signers) {
        List<ReplicaSignature> signatures = new ArrayList<>();
        for (int s : signers) {
            ReplicaId id = new ReplicaId(s);
            signatures.add(new ReplicaSignature(id, FakeKeys.sign(id, block.voteData().signingBytes())));
        }
        return new QuorumCert(block.voteData(), signatures);
    }

    private static List<Message.Vote> votes(Actions actions) {
        return actions.sends().stream().filter(s -> s.message() instanceof Message.Vote)
                .map(s -> (Message.Vote) s.message()).toList();
    }

    private static Actions receive(Replica replica, int from, Message message) {
        return replica.step(new Event.MessageReceived(10, new ReplicaId(from), message));
    }

    @Test
    void singleReplicaCommitsASubmittedPayloadInOneStep() {
        Replica replica = replica(0, ConsensusConfig.defaults(1), PayloadValidator.acceptAll());
        Actions actions = replica.step(new Event.PayloadSubmitted(5, payload("tx-1")));
        // The payload block, then the empty child that carried its commit certificate; then the replica is idle.
        assertThat(actions.commits()).hasSize(2);
        Actions.Commit commit = actions.commits().getFirst();
        assertThat(commit.blocks().getFirst().payloads()).extracting(Payload::payloadId).containsExactly("tx-1");
        assertThat(commit.commitQc().voteData().commitsParent()).isTrue();
        assertThat(actions.persist().lastVotedRound()).isGreaterThanOrEqualTo(new Round(2));
        assertThat(actions.sends()).isEmpty();
        assertThat(replica.committedTip().height()).isEqualTo(new Height(2));
    }

    @Test
    void followerVotesForTheLeadersProposalAndSendsTheVoteToTheNextLeader() {
        Replica follower = replica(3, FOUR, PayloadValidator.acceptAll());
        Block block = new Block(new Round(1), new ReplicaId(1), Block.genesisQc(), List.of(payload("tx-1")));
        Actions actions = receive(follower, 1, new Message.Proposal(block, null));
        assertThat(votes(actions)).hasSize(1);
        Actions.Send send = actions.sends().stream().filter(s -> s.message() instanceof Message.Vote).findFirst()
                .orElseThrow();
        assertThat(send.to()).isEqualTo(new ReplicaId(2)); // leader of round 2
        assertThat(actions.persist().lastVotedRound()).isEqualTo(new Round(1));
        assertThat(actions.saveBlocks()).containsExactly(block);
        // The same proposal again (a replay) gets no second vote.
        assertThat(votes(receive(follower, 1, new Message.Proposal(block, null)))).isEmpty();
    }

    @Test
    void proposalFromANonLeaderGetsNoVote() {
        Replica follower = replica(2, FOUR, PayloadValidator.acceptAll());
        Block block = new Block(new Round(1), new ReplicaId(3), Block.genesisQc(), List.of(payload("tx-1")));
        assertThat(receive(follower, 3, new Message.Proposal(block, null)).sends()).isEmpty();
        // Authored by the leader but relayed by someone else: also refused.
        Block leaders = new Block(new Round(1), new ReplicaId(1), Block.genesisQc(), List.of(payload("tx-1")));
        assertThat(votes(receive(follower, 3, new Message.Proposal(leaders, null)))).isEmpty();
    }

    @Test
    void proposalWithAnInvalidPayloadGetsNoVote() {
        Replica follower = replica(2, FOUR, p -> !p.payloadId().startsWith("bad"));
        Block block = new Block(new Round(1), new ReplicaId(1), Block.genesisQc(),
                List.of(payload("tx-1"), payload("bad-2")));
        assertThat(votes(receive(follower, 1, new Message.Proposal(block, null)))).isEmpty();
    }

    @Test
    void proposalRepeatingAPayloadGetsNoVote() {
        Replica follower = replica(2, FOUR, PayloadValidator.acceptAll());
        Block block = new Block(new Round(1), new ReplicaId(1), Block.genesisQc(),
                List.of(payload("tx-1"), payload("tx-1")));
        assertThat(votes(receive(follower, 1, new Message.Proposal(block, null)))).isEmpty();
    }

    @Test
    void certificatesWithDuplicateOrTooFewSignersOrBadSignaturesAreRejected() {
        Certificates certificates = new Certificates(4, 3, FakeKeys.VERIFIER);
        Block block = new Block(new Round(1), new ReplicaId(1), Block.genesisQc(), List.of());
        assertThat(certificates.validQc(qcFor(block, 0, 1, 2))).isTrue();
        assertThat(certificates.validQc(qcFor(block, 0, 1))).isFalse();
        assertThat(certificates.validQc(qcFor(block, 0, 1, 1))).isFalse();
        assertThat(certificates.validQc(qcFor(block, 2, 1, 0))).isFalse();
        assertThat(certificates.validQc(qcFor(block, 0, 1, 7))).isFalse();
        QuorumCert good = qcFor(block, 0, 1, 2);
        List<ReplicaSignature> forged = new ArrayList<>(good.signatures());
        forged.set(2, new ReplicaSignature(new ReplicaId(2), new byte[8]));
        assertThat(certificates.validQc(new QuorumCert(good.voteData(), forged))).isFalse();
    }

    @Test
    void proposalCarryingAQcWithDuplicateSignersIsIgnored() {
        Replica follower = replica(3, FOUR, PayloadValidator.acceptAll());
        Block first = new Block(new Round(1), new ReplicaId(1), Block.genesisQc(), List.of());
        Block second = new Block(new Round(2), new ReplicaId(2), qcFor(first, 1, 1, 2), List.of(payload("tx")));
        Actions actions = receive(follower, 2, new Message.Proposal(second, null));
        assertThat(actions.sends()).isEmpty();
        assertThat(follower.currentRound()).isEqualTo(new Round(1));
    }

    @Test
    void lockedReplicaRefusesABlockExtendingAnOlderQcAfterATimeout() {
        // Chain: b1 (r1) <- b2 (r2); the replica votes b2, so it is locked on round 1 (b2's QC).
        Replica replica = replica(0, FOUR, PayloadValidator.acceptAll());
        Block b1 = new Block(new Round(1), new ReplicaId(1), Block.genesisQc(), List.of(payload("a")));
        receive(replica, 1, new Message.Proposal(b1, null));
        Block b2 = new Block(new Round(2), new ReplicaId(2), qcFor(b1, 0, 1, 2), List.of(payload("b")));
        assertThat(votes(receive(replica, 2, new Message.Proposal(b2, null)))).hasSize(1);
        assertThat(replica.safetyState().lockedRound()).isEqualTo(new Round(1));
        // Round 2 times out: the TC reports highest QC round 1; the leader of round 3 extends genesis instead.
        TimeoutCert tc = tc(new Round(2), new Round(1), 1, 2, 3);
        Block fork = new Block(new Round(3), new ReplicaId(3), Block.genesisQc(), List.of(payload("c")));
        assertThat(votes(receive(replica, 3, new Message.Proposal(fork, tc)))).isEmpty();
        assertThat(replica.safetyState().lastVotedRound()).isEqualTo(new Round(2));
        // The same replica with the lock check planted away votes for the fork: the bug the simulator finds.
        Replica planted = new Replica(new ReplicaId(0), FOUR, FakeKeys.signer(new ReplicaId(0)), FakeKeys.VERIFIER,
                PayloadValidator.acceptAll(), LeaderSchedule.roundRobin(4), SafetyPlant.SKIP_LOCK_CHECK);
        planted.step(new Event.Started(0, SafetyState.initial(), List.of(), CommittedTip.genesis(), List.of()));
        receive(planted, 1, new Message.Proposal(b1, null));
        receive(planted, 2, new Message.Proposal(b2, null));
        assertThat(receive(planted, 3, new Message.Proposal(fork, tc)).persist().lastVotedRound())
                .isEqualTo(new Round(3));
        // A block extending the TC's highest QC is safe and gets the vote (kept locally: R0 leads round 4).
        Block extending = new Block(new Round(3), new ReplicaId(3), qcFor(b1, 0, 1, 2), List.of(payload("d")));
        assertThat(receive(replica, 3, new Message.Proposal(extending, tc)).persist().lastVotedRound())
                .isEqualTo(new Round(3));
    }

    private static TimeoutCert tc(Round round, Round highQcRound, int... signers) {
        List<TimeoutSignature> timeouts = new ArrayList<>();
        for (int s : signers) {
            ReplicaId id = new ReplicaId(s);
            timeouts.add(new TimeoutSignature(id, highQcRound,
                    FakeKeys.sign(id, Signatures.timeoutBytes(round, highQcRound))));
        }
        return new TimeoutCert(round, timeouts);
    }

    @Test
    void restartedReplicaNeverVotesAgainInARoundItVotedIn() {
        Replica replica = replica(2, FOUR, PayloadValidator.acceptAll());
        Block block = new Block(new Round(1), new ReplicaId(1), Block.genesisQc(), List.of(payload("tx-1")));
        Actions first = receive(replica, 1, new Message.Proposal(block, null));
        Replica restarted = new Replica(new ReplicaId(2), FOUR, FakeKeys.signer(new ReplicaId(2)), FakeKeys.VERIFIER,
                PayloadValidator.acceptAll(), LeaderSchedule.roundRobin(4));
        restarted.step(new Event.Started(20, first.persist(), first.saveBlocks(), CommittedTip.genesis(), List.of()));
        Block equivocation = new Block(new Round(1), new ReplicaId(1), Block.genesisQc(), List.of(payload("tx-2")));
        assertThat(votes(restarted.step(new Event.MessageReceived(30, new ReplicaId(1),
                new Message.Proposal(equivocation, null))))).isEmpty();
    }

    @Test
    void timeoutsOnlyWithWorkAndPersistedBeforeTheyAreSent() {
        Replica replica = replica(2, FOUR, PayloadValidator.acceptAll());
        TimerId timer = new TimerId(new Round(1), 1);
        assertThat(replica.step(new Event.TimerFired(1_000, timer)).sends()).isEmpty(); // idle: no view change
        Actions submitted = replica.step(new Event.PayloadSubmitted(1_100, payload("tx-1")));
        assertThat(submitted.sends()).extracting(Actions.Send::to).containsExactly(new ReplicaId(1));
        assertThat(submitted.timers()).hasSize(1);
        Actions timedOut = replica.step(new Event.TimerFired(2_100, submitted.timers().getFirst().timerId()));
        assertThat(timedOut.persist().lastVotedRound()).isEqualTo(new Round(1));
        assertThat(timedOut.sends()).anyMatch(s -> s.message() instanceof Message.Timeout && s.isBroadcast());
        assertThat(timedOut.sends()).anyMatch(s -> s.message() instanceof Message.PayloadForward);
    }

    @Test
    void actionsRefuseAnOwnVoteWithoutAPersistedState() {
        Block block = new Block(new Round(1), new ReplicaId(1), Block.genesisQc(), List.of());
        Message.Vote vote = new Message.Vote(block.voteData(), new ReplicaId(0), new byte[8]);
        assertThatThrownBy(() -> new Actions(null, List.of(), List.of(),
                List.of(new Actions.Send(new ReplicaId(2), vote, true)), List.of()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("without persisting");
    }

    @Test
    void timeoutBackoffIsExponentialAndCapped() {
        ConsensusConfig config = new ConsensusConfig(4, 10, 1 << 20, 1_000, 4_000, false, 100, 64, 64, 100, 8, 10);
        Replica replica = replica(2, config, PayloadValidator.acceptAll());
        replica.step(new Event.PayloadSubmitted(1, payload("tx-1")));
        List<Long> delays = new ArrayList<>();
        long now = 10;
        for (int round = 1; round <= 4; round++) {
            TimeoutCert tc = tc(new Round(round), Round.ZERO, 0, 1, 3);
            Actions actions = receive(replica, 0, new Message.SyncInfo(Block.genesisQc(), Block.genesisQc(), tc));
            delays.add(actions.timers().getFirst().delayMillis());
            now += 10;
        }
        // Rounds 2..5 after TCs with no QC: the second round without a QC keeps the base timeout (a crashed leader
        // costs two rounds), then it doubles up to the cap.
        assertThat(delays).containsExactly(1_000L, 2_000L, 4_000L, 4_000L);
    }

    @Test
    void proposalWithAForgedTimeoutCertificateIsIgnored() {
        Replica follower = replica(3, FOUR, PayloadValidator.acceptAll());
        TimeoutCert good = tc(new Round(1), Round.ZERO, 0, 1, 2);
        List<TimeoutSignature> forged = new ArrayList<>(good.timeouts());
        forged.set(1, new TimeoutSignature(new ReplicaId(1), Round.ZERO, new byte[8]));
        Block block = new Block(new Round(2), new ReplicaId(2), Block.genesisQc(), List.of(payload("tx")));
        Actions actions = receive(follower, 2, new Message.Proposal(block, new TimeoutCert(new Round(1), forged)));
        assertThat(actions.sends()).isEmpty();
        assertThat(follower.currentRound()).isEqualTo(new Round(1));
        // With the genuine TC the same block is justified and gets the vote (kept locally: R3 leads round 3).
        assertThat(receive(follower, 2, new Message.Proposal(block, good)).persist().lastVotedRound())
                .isEqualTo(new Round(2));
    }
}
