package org.banyan.consensus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.banyan.consensus.codec.CodecLimits;
import org.banyan.consensus.codec.CorruptStateException;
import org.banyan.consensus.codec.MalformedMessageException;
import org.banyan.consensus.codec.SafetyStateCodec;
import org.banyan.consensus.codec.WireCodec;

/**
 * A seeded discrete-event simulation of n real {@link Replica}s in one thread with simulated time (TigerBeetle's
 * VOPR, FoundationDB's simulation). The network drops, delays, duplicates, reorders and replays messages and is
 * partitioned (symmetric or asymmetric) until the heal time; replicas crash and restart from their last persisted
 * safety state and ledger tip; Byzantine replicas are Twins or stale-QC equivocators. After every step it checks
 * agreement, validity and no-duplicate-ordering; at the end, liveness. Everything derives from the seed.
 */
final class Simulator {
    static final int STEPS_MAX = 400_000;
    /** Clients keep submitting until the run has at least this many steps (and the faults have healed). */
    static final int STEPS_MIN = 2_000;
    static final int REPLAY_HISTORY_MAX = 256;

    /** The outcome of one run; {@code violation} is null when every check passed. */
    /**
     * {@code settleMillis}: simulated time from the heal (or the last submission) until every honest replica had
     * committed every payload; {@code attacks}: Byzantine actions actually carried out (forks, censored or invalid
     * proposals), so a passing run is known not to be vacuous.
     */
    record Result(long seed, long steps, long simulatedMillis, String violation, String kind, long settleMillis,
            long attacks) {
        boolean ok() {
            return violation == null;
        }
    }

    private static final class Node {
        final int index;
        final ReplicaId id;
        Replica replica;
        boolean up = true;
        int incarnation;
        SafetyState persisted = SafetyState.initial();
        final Map<Digest, Block> savedBlocks = new LinkedHashMap<>();
        CommittedTip tip = CommittedTip.genesis();
        final List<String> committedPayloadIds = new ArrayList<>();
        final List<Block> committedBlocks = new ArrayList<>();
        final Set<String> committedPayloadSet = new HashSet<>();
        final TreeMap<Long, QuorumCert> seenQcs = new TreeMap<>();
        final TreeMap<Long, TreeMap<ReplicaId, TimeoutSignature>> timeouts = new TreeMap<>();
        Message.Proposal withheld;

        Node(int index, ReplicaId id) {
            this.index = index;
            this.id = id;
        }
    }

    private record Pending(long atMillis, long sequence, int node, int incarnation, Object what)
            implements Comparable<Pending> {
        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(atMillis, o.atMillis);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private record Deliver(ReplicaId from, Message message) {}

    private record Restart() {}

    private record Crash(long downMillis) {}

    private record Submit(Payload payload) {}

    private record Heal() {}

    private record Load() {}

    private final Scenario scenario;
    private final boolean checkQuorumSize;
    /** When non-null, every message in flight and every persisted record goes through its bytes. */
    private final WireCodec wireCodec;
    private final SafetyStateCodec stateCodec;
    private final Random random;
    private final ConsensusConfig config;
    private final LeaderSchedule leaders;
    private final Certificates checker;
    private final List<Node> nodes = new ArrayList<>();
    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private final Map<Long, Digest> committedByHeight = new HashMap<>();
    private final Map<Long, Digest> certifiedCommitByHeight = new HashMap<>();
    private final Map<Long, Long> committedRoundByHeight = new HashMap<>();
    private final Map<Long, Map<Digest, Long>> certifiedRoundsByHeight = new HashMap<>();
    private final LinkedHashMap<String, Long> submittedAtMillis = new LinkedHashMap<>();
    private final Set<String> committedByAnyHonest = new HashSet<>();
    private final List<Deliver> history = new ArrayList<>();
    private final List<Integer> historyTargets = new ArrayList<>();
    private long nowMillis;
    private long sequence;
    private long steps;
    private boolean healed;
    private long lastSubmitMillis;
    private int loadCount;
    private long attacks;

    Simulator(Scenario scenario, boolean checkQuorumSize) {
        this(scenario, checkQuorumSize, false);
    }

    /**
     * {@code throughCodecs}: encode and decode every message at send time ({@link WireCodec}) and every persisted
     * state with its saved blocks ({@link SafetyStateCodec}), checking the bytes are canonical, so real protocol
     * runs exercise the codecs; consumes no randomness, so a run is otherwise identical to one without.
     */
    Simulator(Scenario scenario, boolean checkQuorumSize, boolean throughCodecs) {
        this.scenario = scenario;
        this.checkQuorumSize = checkQuorumSize;
        CodecLimits limits = CodecLimits.from(scenario.config());
        this.wireCodec = throughCodecs ? new WireCodec(limits) : null;
        this.stateCodec = throughCodecs ? new SafetyStateCodec(limits) : null;
        this.random = new Random(scenario.seed() * 31 + 7);
        this.config = scenario.config();
        this.leaders = scenario.leaders();
        // The checker always uses the true quorum unless told not to (to show agreement breaking on its own).
        this.checker = new Certificates(config.replicaCount(), checkQuorumSize ? config.quorum() : 1,
                FakeKeys.VERIFIER);
    }

    static Result run(Scenario scenario) {
        return new Simulator(scenario, true).run();
    }

    static Result runThroughCodecs(Scenario scenario) {
        return new Simulator(scenario, true, true).run();
    }

    private Message throughWire(Message message) {
        if (wireCodec == null) {
            return message;
        }
        byte[] bytes = wireCodec.encode(message);
        try {
            Message decoded = wireCodec.decode(bytes);
            if (!java.util.Arrays.equals(wireCodec.encode(decoded), bytes)) {
                throw new Violation("codec", "re-encoding " + message + " changed its bytes");
            }
            return decoded;
        } catch (MalformedMessageException e) {
            throw new Violation("codec", "own encoding of " + message + " does not decode: " + e.getMessage());
        }
    }

    private SafetyStateCodec.Saved throughDisk(SafetyState state, List<Block> blocks) {
        if (stateCodec == null) {
            return new SafetyStateCodec.Saved(state, blocks);
        }
        try {
            SafetyStateCodec.Saved saved = stateCodec.decode(stateCodec.encode(state, blocks));
            if (!saved.blocks().equals(blocks) || !saved.state().equals(state)) {
                throw new Violation("codec", "safety-state record changed in a round trip: " + state);
            }
            return saved;
        } catch (CorruptStateException e) {
            throw new Violation("codec", "own safety-state record does not decode: " + e.getMessage());
        }
    }

    private static final class Violation extends RuntimeException {
        final String kind;

        Violation(String kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }

    Result run() {
        try {
            setUp();
            while (!queue.isEmpty() && steps < STEPS_MAX) {
                Pending next = queue.poll();
                if (next.atMillis() > Math.max(scenario.healMillis(), lastSubmitMillis)
                        + scenario.livenessBoundMillis()) {
                    break;
                }
                nowMillis = next.atMillis();
                steps++;
                handle(next);
                if (healed && steps >= STEPS_MIN && allCommittedEverywhere()) {
                    break;
                }
            }
            if (!allCommittedEverywhere()) {
                List<String> missing = submittedAtMillis.keySet().stream().filter(this::notCommittedSomewhere)
                        .limit(5).toList();
                throw new Violation("liveness", "after heal at " + scenario.healMillis() + "ms, payloads " + missing
                        + " not committed by every honest replica by " + nowMillis + "ms (steps=" + steps + ")"
                        + nodeSummary());
            }
            return new Result(scenario.seed(), steps, nowMillis, null, null,
                    nowMillis - Math.max(scenario.healMillis(), lastSubmitMillis), attacks);
        } catch (Violation v) {
            return new Result(scenario.seed(), steps, nowMillis, v.getMessage(), v.kind, -1, attacks);
        } catch (AssertionError | RuntimeException e) {
            return new Result(scenario.seed(), steps, nowMillis, e + " at " + stackTop(e), "assertion", -1, attacks);
        }
    }

    private void setUp() {
        for (int i = 0; i < scenario.replicaCount(); i++) {
            nodes.add(new Node(i, new ReplicaId(i)));
        }
        if (scenario.byzantine() == Scenario.Byzantine.TWINS) {
            nodes.add(new Node(scenario.replicaCount(), new ReplicaId(scenario.byzantineId())));
        }
        for (Node node : nodes) {
            start(node);
        }
        for (Scenario.Crash crash : scenario.crashes()) {
            schedule(crash.atMillis(), crash.node(), -1, new Crash(crash.downMillis()));
        }
        for (int i = 0; i < scenario.payloadCount(); i++) {
            submit(random.nextLong(scenario.healMillis()));
        }
        schedule(random.nextLong(scenario.loadIntervalMillis()), 0, -1, new Load());
        schedule(scenario.healMillis(), 0, -1, new Heal());
    }

    private void submit(long atMillis) {
        int index = loadCount++;
        Payload payload = new Payload("tx-" + scenario.seed() + "-" + index,
                ("payload " + index).getBytes(StandardCharsets.UTF_8));
        submittedAtMillis.put(payload.payloadId(), atMillis);
        lastSubmitMillis = Math.max(lastSubmitMillis, atMillis);
        schedule(atMillis, honestNodeIndex(), -1, new Submit(payload));
    }

    private int honestNodeIndex() {
        while (true) {
            int i = random.nextInt(scenario.replicaCount());
            if (scenario.isHonest(new ReplicaId(i))) {
                return i;
            }
        }
    }

    private void start(Node node) {
        node.replica = new Replica(node.id, config, FakeKeys.signer(node.id), FakeKeys.VERIFIER,
                payload -> !payload.payloadId().startsWith("bad-"), leaders, scenario.plant());
        List<Block> recent = node.committedBlocks.subList(
                Math.max(0, node.committedBlocks.size() - config.retainedBlocksMax()), node.committedBlocks.size());
        apply(node, node.replica.step(new Event.Started(nowMillis, node.persisted,
                List.copyOf(node.savedBlocks.values()), node.tip, recent)));
    }

    private void schedule(long atMillis, int node, int incarnation, Object what) {
        queue.add(new Pending(atMillis, sequence++, node, incarnation, what));
    }

    private void handle(Pending pending) {
        Node node = nodes.get(pending.node());
        switch (pending.what()) {
            case Heal h -> heal();
            case Load l -> {
                // Steady client load until the run is long enough; it continues across the heal.
                if (!healed || steps < STEPS_MIN) {
                    submit(nowMillis);
                    schedule(nowMillis + 1 + random.nextLong(scenario.loadIntervalMillis()), 0, -1, new Load());
                }
            }
            case Crash c -> {
                if (node.up && !healed) {
                    node.up = false;
                    node.incarnation++;
                    schedule(Math.min(nowMillis + c.downMillis(), scenario.healMillis()), node.index, -1,
                            new Restart());
                }
            }
            case Restart r -> {
                if (!node.up) {
                    node.up = true;
                    node.incarnation++;
                    start(node);
                }
            }
            case Submit s -> {
                if (node.up) {
                    apply(node, node.replica.step(new Event.PayloadSubmitted(nowMillis, s.payload())));
                }
            }
            case Deliver d -> {
                if (node.up && node.incarnation == pending.incarnation()) {
                    if (d.message() instanceof Message.Proposal p) {
                        observe(node, p);
                        if (isStaleEquivocator(node)) {
                            voteForAnything(node, p.block());
                        }
                    }
                    if (d.message() instanceof Message.Timeout t && isStaleEquivocator(node)
                            && t.author().equals(d.from())) {
                        collectTimeout(node, t);
                    }
                    apply(node, node.replica.step(new Event.MessageReceived(nowMillis, d.from(), d.message())));
                }
            }
            case TimerId t -> {
                if (node.up && node.incarnation == pending.incarnation()) {
                    apply(node, node.replica.step(new Event.TimerFired(nowMillis, t)));
                }
            }
            default -> throw new IllegalStateException("unknown " + pending.what());
        }
    }

    private void heal() {
        healed = true;
        for (Node node : nodes) {
            if (!node.up) {
                node.up = true;
                node.incarnation++;
                start(node);
            }
        }
        // Clients retry every payload no honest replica has ordered (its pool may have died with a crash).
        for (String payloadId : submittedAtMillis.keySet()) {
            if (!committedByAnyHonest.contains(payloadId)) {
                int index = Integer.parseInt(payloadId.substring(payloadId.lastIndexOf('-') + 1));
                Payload payload = new Payload(payloadId, ("payload " + index).getBytes(StandardCharsets.UTF_8));
                schedule(nowMillis + random.nextInt(100), honestNodeIndex(), -1, new Submit(payload));
            }
        }
    }

    // ---- applying actions: persist, commit (with checks), send, timers ----

    private void apply(Node node, Actions actions) {
        if (actions.persist() != null || !actions.saveBlocks().isEmpty()) {
            SafetyStateCodec.Saved saved = throughDisk(
                    actions.persist() != null ? actions.persist() : node.persisted, actions.saveBlocks());
            node.persisted = saved.state();
            for (Block block : saved.blocks()) {
                node.savedBlocks.put(block.id(), block);
            }
        }
        for (Actions.Commit commit : actions.commits()) {
            checkCommit(node, commit);
        }
        for (Actions.Send send : actions.sends()) {
            if (isStaleEquivocator(node) && send.message() instanceof Message.Proposal p && send.isBroadcast()) {
                withholdOrSend(node, p);
            } else if ((isCensor(node) || isStaleEquivocator(node)) && send.message() instanceof Message.Vote) {
                continue; // the censor withholds votes; the equivocator votes only through voteForAnything
            } else if (isCensor(node) && send.message() instanceof Message.Proposal p && send.isBroadcast()) {
                route(node, null, censor(p));
            } else {
                route(node, send.to(), send.message());
            }
        }
        for (Actions.SetTimer timer : actions.timers()) {
            schedule(nowMillis + timer.delayMillis(), node.index, node.incarnation, timer.timerId());
        }
    }

    private void checkCommit(Node node, Actions.Commit commit) {
        boolean honest = scenario.isHonest(node.id);
        if (!checker.validQc(commit.commitQc())) {
            throw new Violation("validity", node.id + " committed with an invalid certificate " + commit.commitQc());
        }
        for (Block block : commit.blocks()) {
            if (!block.parentId().equals(node.tip.blockId()) || !block.height().equals(node.tip.height().next())) {
                throw new Violation("validity", node.id + " committed " + block + " not linked to tip " + node.tip);
            }
            if (!checker.validQc(block.parentQc())) {
                throw new Violation("validity", node.id + " committed " + block + " whose parent QC is invalid");
            }
            node.tip = new CommittedTip(block.height(), block.id(), block.round());
            node.savedBlocks.remove(block.id());
            node.committedBlocks.add(block);
            for (Payload p : block.payloads()) {
                if (!node.committedPayloadSet.add(p.payloadId())) {
                    throw new Violation("duplicate", node.id + " ordered " + p.payloadId() + " twice");
                }
                node.committedPayloadIds.add(p.payloadId());
                if (honest) {
                    committedByAnyHonest.add(p.payloadId());
                }
            }
            if (honest) {
                Digest certified = certifiedCommitByHeight.get(block.height().value());
                if (certified != null && !certified.equals(block.id())) {
                    throw new Violation("agreement", node.id + " committed " + block + " but a commit certificate for "
                            + certified + " exists at " + block.height() + nodeSummary());
                }
                // The lemma binds rounds from the directly committed block's (the last of the commit) upwards.
                long directRound = commit.commitQc().voteData().parentRound().value();
                Map<Digest, Long> certifiedHere = certifiedRoundsByHeight.getOrDefault(block.height().value(), Map.of());
                for (Map.Entry<Digest, Long> other : certifiedHere.entrySet()) {
                    if (!other.getKey().equals(block.id()) && other.getValue() >= directRound) {
                        throw new Violation("agreement", node.id + " committed " + block + " but " + other.getKey()
                                + " at the same height is certified in round " + other.getValue() + nodeSummary());
                    }
                }
                committedRoundByHeight.merge(block.height().value(), directRound, Math::min);
                Digest previous = committedByHeight.putIfAbsent(block.height().value(), block.id());
                if (previous != null && !previous.equals(block.id())) {
                    throw new Violation("agreement", node.id + " committed " + block + " at " + block.height()
                            + " but another honest replica committed " + previous + " there" + nodeSummary());
                }
            }
        }
    }

    private void route(Node sender, ReplicaId to, Message message) {
        for (Node target : nodes) {
            boolean addressed = to == null ? !target.id.equals(sender.id) : target.id.equals(to);
            if (addressed) {
                transmit(sender, target, message);
            }
        }
    }

    /**
     * Agreement on commit certificates: a valid QC whose round follows its parent's proves the parent committed
     * (2-chain), whoever holds it; two such certificates for different blocks at one height, or one contradicting
     * an honest replica's ledger, break agreement even before a replica acts on them.
     */
    private void checkCertificates(Node sender, Message message) {
        switch (message) {
            case Message.Proposal p -> checkCommitCertificate(sender, p.block().parentQc());
            case Message.Timeout t -> checkCommitCertificate(sender, t.highQc());
            case Message.SyncInfo i -> {
                checkCommitCertificate(sender, i.highQc());
                checkCommitCertificate(sender, i.highCommitQc());
            }
            default -> { }
        }
    }

    private void checkCommitCertificate(Node sender, QuorumCert qc) {
        if (qc.signatures().isEmpty() || !checker.validQc(qc)) {
            return;
        }
        checkCertifiedBlock(sender.id + " sent " + qc, qc.height().value(), qc.blockId(), qc.round().value());
        if (!qc.voteData().commitsParent()) {
            return;
        }
        long height = qc.voteData().parentHeight().value();
        Digest certified = qc.voteData().parentId();
        Digest previous = certifiedCommitByHeight.putIfAbsent(height, certified);
        Digest committed = committedByHeight.get(height);
        if ((previous != null && !previous.equals(certified)) || (committed != null && !committed.equals(certified))) {
            throw new Violation("agreement", sender.id + " sent commit certificate " + qc + " for " + certified
                    + " at h" + height + " but " + (committed != null ? committed : previous)
                    + " is committed/certified there" + nodeSummary());
        }
    }

    /**
     * Jolteon's safety lemma: once a block of round k is committed at height h, every QC of round >= k certifies
     * a block extending it, so no QC of round >= k certifies a different block at height h.
     */
    private void checkCertifiedBlock(String what, long height, Digest blockId, long round) {
        Map<Digest, Long> seen = certifiedRoundsByHeight.computeIfAbsent(height, h -> new HashMap<>());
        seen.merge(blockId, round, Math::max);
        Digest committed = committedByHeight.get(height);
        if (committed != null && !committed.equals(blockId) && round >= committedRoundByHeight.get(height)) {
            throw new Violation("agreement", what + " certifies " + blockId + " at h" + height + " in round " + round
                    + ", conflicting with " + committed + " committed there by a 2-chain of round "
                    + committedRoundByHeight.get(height) + nodeSummary());
        }
    }

    private void transmit(Node sender, Node target, Message sent) {
        checkCertificates(sender, sent);
        Message message = throughWire(sent);
        if (!healed) {
            for (Scenario.Partition p : scenario.partitions()) {
                if (nowMillis >= p.startMillis() && nowMillis < p.endMillis()
                        && p.blocked()[sender.index][target.index]) {
                    return;
                }
            }
            if (random.nextDouble() < scenario.dropRate()) {
                return;
            }
        }
        Deliver deliver = new Deliver(sender.id, message);
        schedule(nowMillis + delayMillis(), target.index, target.incarnation, deliver);
        if (!healed) {
            if (random.nextDouble() < scenario.duplicateRate()) {
                schedule(nowMillis + delayMillis(), target.index, target.incarnation, deliver);
            }
            if (history.size() < REPLAY_HISTORY_MAX) {
                history.add(deliver);
                historyTargets.add(target.index);
            } else {
                int slot = random.nextInt(REPLAY_HISTORY_MAX);
                history.set(slot, deliver);
                historyTargets.set(slot, target.index);
            }
            if (random.nextDouble() < scenario.replayRate()) {
                int slot = random.nextInt(history.size());
                Node replayTarget = nodes.get(historyTargets.get(slot));
                schedule(nowMillis + delayMillis() + random.nextInt(5_000), replayTarget.index,
                        replayTarget.incarnation, history.get(slot));
            }
        }
    }

    private long delayMillis() {
        long span = scenario.delayMaxMillis() - scenario.delayMinMillis();
        return scenario.delayMinMillis() + (span == 0 ? 0 : random.nextLong(span + 1));
    }

    // ---- Byzantine behaviour ----

    private boolean isStaleEquivocator(Node node) {
        return scenario.byzantine() == Scenario.Byzantine.STALE_EQUIVOCATOR
                && node.id.value() == scenario.byzantineId();
    }

    private boolean isCensor(Node node) {
        return scenario.byzantine() == Scenario.Byzantine.CENSOR_INVALID && node.id.value() == scenario.byzantineId();
    }

    private Message.Proposal censor(Message.Proposal proposal) {
        Block block = proposal.block();
        List<Payload> kept = new ArrayList<>();
        for (Payload p : block.payloads()) {
            if (Long.parseLong(p.payloadId().substring(p.payloadId().lastIndexOf('-') + 1)) % 2 == 0) {
                kept.add(p);
            }
        }
        if (block.round().value() % 2 == 0) {
            kept.add(new Payload("bad-" + block.round().value(), new byte[] {1}));
        }
        if (kept.size() == block.payloads().size() && kept.equals(block.payloads())) {
            return proposal;
        }
        attacks++;
        return new Message.Proposal(new Block(block.round(), block.author(), block.parentQc(), kept), proposal.tc());
    }

    private void observe(Node node, Message.Proposal proposal) {
        if (isStaleEquivocator(node)) {
            QuorumCert qc = proposal.block().parentQc();
            node.seenQcs.put(qc.height().value(), qc);
            while (node.seenQcs.size() > 64) {
                node.seenQcs.pollFirstEntry();
            }
        }
    }

    /**
     * The attack the lock defends against (DiemBFT v4 safety argument): as leader of round r, hold back the
     * proposal carrying the QC that commits its grandparent P; collect timeouts for r-1 into a TC; then show one
     * honest replica the real chain (it commits P) and propose to the others, with the TC, a block forking P off
     * from an older QC. Honest replicas refuse it (its QC is below the TC's highest QC); a replica that skips the
     * lock check votes for it, and the fork is later committed.
     */
    private void withholdOrSend(Node node, Message.Proposal real) {
        observe(node, real);
        node.withheld = null;
        QuorumCert realQc = real.block().parentQc();
        QuorumCert staleQc = node.seenQcs.get(realQc.height().value() - 2);
        if (real.tc() != null || staleQc == null || !realQc.voteData().commitsParent()) {
            route(node, null, real);
            return;
        }
        node.withheld = real;
        Round timedOut = new Round(real.block().round().value() - 1);
        node.timeouts.computeIfAbsent(timedOut.value(), r -> new TreeMap<>()).put(node.id,
                new TimeoutSignature(node.id, Round.ZERO,
                        FakeKeys.sign(node.id, Signatures.timeoutBytes(timedOut, Round.ZERO))));
        tryRelease(node);
    }

    private void collectTimeout(Node node, Message.Timeout timeout) {
        node.timeouts.computeIfAbsent(timeout.round().value(), r -> new TreeMap<>()).put(timeout.author(),
                new TimeoutSignature(timeout.author(), timeout.highQc().round(), timeout.signature()));
        while (node.timeouts.size() > 16) {
            node.timeouts.pollFirstEntry();
        }
        tryRelease(node);
    }

    private void tryRelease(Node node) {
        Message.Proposal real = node.withheld;
        if (real == null) {
            return;
        }
        Round timedOut = new Round(real.block().round().value() - 1);
        TreeMap<ReplicaId, TimeoutSignature> signers = node.timeouts.get(timedOut.value());
        if (signers == null || signers.size() < config.quorum()) {
            return;
        }
        node.withheld = null;
        attacks++;
        TimeoutCert tc = new TimeoutCert(timedOut, List.copyOf(signers.values()));
        QuorumCert realQc = real.block().parentQc();
        QuorumCert staleQc = node.seenQcs.get(realQc.height().value() - 2);
        Block stale = new Block(real.block().round(), node.id, staleQc, real.block().payloads());
        Message.Proposal fork = new Message.Proposal(stale, tc);
        int favoured = honestNodeIndex();
        for (Node target : nodes) {
            if (target.id.equals(node.id)) {
                continue;
            }
            if (target.index == favoured) {
                transmit(node, target, new Message.SyncInfo(realQc, realQc, null));
                transmit(node, target, real);
            } else {
                transmit(node, target, fork);
            }
        }
        voteForAnything(node, stale);
    }

    /** A Byzantine replica signs a vote for every block it sees, whatever its safety rules say. */
    private void voteForAnything(Node node, Block block) {
        VoteData data = block.voteData();
        Message.Vote vote = new Message.Vote(data, node.id, FakeKeys.sign(node.id, data.signingBytes()));
        route(node, leaders.leader(block.round().next()), vote);
        if (leaders.leader(block.round().next()).equals(node.id)) {
            schedule(nowMillis + 1, node.index, node.incarnation, new Deliver(node.id, vote));
        }
    }

    // ---- liveness ----

    private boolean allCommittedEverywhere() {
        for (String payloadId : submittedAtMillis.keySet()) {
            if (notCommittedSomewhere(payloadId)) {
                return false;
            }
        }
        return true;
    }

    private boolean notCommittedSomewhere(String payloadId) {
        for (Node node : nodes) {
            if (scenario.isHonest(node.id) && !node.committedPayloadSet.contains(payloadId)) {
                return true;
            }
        }
        return false;
    }

    private String nodeSummary() {
        StringBuilder s = new StringBuilder();
        for (Node node : nodes) {
            s.append("\n  ").append(node.id).append(node.index >= scenario.replicaCount() ? "'" : "")
                    .append(node.up ? " up" : " down").append(" round=").append(node.replica.currentRound())
                    .append(" tip=").append(node.tip.height()).append(" committedPayloads=")
                    .append(node.committedPayloadSet.size()).append(" pending=")
                    .append(node.replica.pendingPayloads()).append(" highQc=")
                    .append(node.replica.safetyState().highQc());
        }
        return s.toString();
    }

    private static String stackTop(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length == 0 ? "?" : trace[0].toString() + (trace.length > 1 ? " < " + trace[1] : "");
    }
}
