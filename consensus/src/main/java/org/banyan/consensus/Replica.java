package org.banyan.consensus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.banyan.crypto.Assert;

/**
 * One consenter's Jolteon / DiemBFT v4 state machine. {@link #step} is the only entry point: it consumes an
 * {@link Event} and returns the {@link Actions} the node must execute (persist, commit, send, set timers, in that
 * order). Not thread-safe: the node calls it from one thread. No clock, randomness or IO.
 *
 * <p>Protocol summary (docs/consensus.md): the leader of round r proposes a block extending its highest QC
 * (with the TC of r-1 if r-1 timed out); replicas vote under the safety rules and send the vote to the leader
 * of r+1, which forms the QC and proposes in r+1. A block is committed when it and its child in the next round
 * both have QCs. A replica whose round timer expires with work outstanding broadcasts a timeout; 2f+1 timeouts
 * form a TC that moves everyone to the next round.
 */
public final class Replica {
    private final ReplicaId self;
    private final ConsensusConfig config;
    private final VoteSigner signer;
    private final PayloadValidator payloadValidator;
    private final LeaderSchedule leaders;
    private final SafetyPlant plant;
    private final Certificates certificates;

    private boolean started;
    private long nowMillis;
    private SafetyState safety;
    private Round currentRound = Round.ZERO;
    private long timerSequence;
    private boolean timerArmed;
    private Round proposedRound = Round.ZERO;
    private Round timedOutRound = Round.ZERO;
    private Round payloadCommitQcRound; // round of the QC that last committed payloads, null before any
    private QuorumCert highCommitQc = Block.genesisQc();
    private BlockTree tree;
    private PendingPool pool;
    private Message.Proposal deferredProposal;
    private final TreeMap<Round, Map<VoteData, TreeMap<ReplicaId, ReplicaSignature>>> votes = new TreeMap<>();
    private final TreeMap<Round, Map<ReplicaId, VoteData>> voters = new TreeMap<>();
    private final TreeMap<Round, TreeMap<ReplicaId, TimeoutSignature>> timeouts = new TreeMap<>();
    private final Set<Round> certifiedRounds = new HashSet<>();
    private long conflictingCommitCertificates;
    private int proposalsThisStep;

    /**
     * With n = 1 (or a leader that is also the next leader) a proposal certifies itself within one step; this
     * bounds the recursion (enough to commit a payload block: it and two children).
     */
    static final int PROPOSALS_PER_STEP_MAX = 4;

    private SafetyState persistOut;
    private List<Block> blocksOut;
    private List<Actions.Commit> commitsOut;
    private List<Actions.Send> sendsOut;
    private List<Actions.SetTimer> timersOut;

    public Replica(ReplicaId self, ConsensusConfig config, VoteSigner signer, SignatureVerifier verifier,
            PayloadValidator payloadValidator, LeaderSchedule leaders) {
        this(self, config, signer, verifier, payloadValidator, leaders, SafetyPlant.NONE);
    }

    Replica(ReplicaId self, ConsensusConfig config, VoteSigner signer, SignatureVerifier verifier,
            PayloadValidator payloadValidator, LeaderSchedule leaders, SafetyPlant plant) {
        Assert.that(self.value() < config.replicaCount(), "self=%s n=%d", self, config.replicaCount());
        this.self = self;
        this.config = config;
        this.signer = signer;
        this.payloadValidator = payloadValidator;
        this.leaders = leaders;
        this.plant = plant;
        int quorum = plant == SafetyPlant.QUORUM_2F ? Math.max(1, 2 * config.faultsMax()) : config.quorum();
        this.certificates = new Certificates(config.replicaCount(), quorum, verifier);
    }

    /** Consumes one event; returns what the node must do, in the order documented on {@link Actions}. */
    public Actions step(Event event) {
        Assert.that(event.nowMillis() >= nowMillis, "time went back: %d < %d", event.nowMillis(), nowMillis);
        Assert.that(started != (event instanceof Event.Started), "started=%s event=%s", started, event);
        nowMillis = event.nowMillis();
        persistOut = null;
        proposalsThisStep = 0;
        blocksOut = new ArrayList<>();
        commitsOut = new ArrayList<>();
        sendsOut = new ArrayList<>();
        timersOut = new ArrayList<>();
        switch (event) {
            case Event.Started s -> onStarted(s);
            case Event.MessageReceived m -> onMessage(m.from(), m.message());
            case Event.TimerFired t -> onTimer(t.timerId());
            case Event.PayloadSubmitted p -> onPayloadsSubmitted(List.of(p.payload()));
            case Event.PayloadsSubmitted p -> onPayloadsSubmitted(p.payloads());
        }
        checkInvariants();
        return new Actions(persistOut, blocksOut, commitsOut, sendsOut, timersOut);
    }

    public ReplicaId id() {
        return self;
    }

    public Round currentRound() {
        return currentRound;
    }

    public SafetyState safetyState() {
        return safety;
    }

    public CommittedTip committedTip() {
        return tree.tip();
    }

    public int pendingPayloads() {
        return pool.size();
    }

    /** Commit certificates received for a block other than the one this replica committed at that height. */
    public long conflictingCommitCertificates() {
        return conflictingCommitCertificates;
    }

    // ---- events ----

    private void onStarted(Event.Started s) {
        started = true;
        safety = s.recovered();
        tree = new BlockTree(s.tip(), config.treeBlocksMax(), config.retainedBlocksMax());
        pool = new PendingPool(config.pendingPayloadsMax(), config.recentPayloadIdsMax());
        List<Block> recent = s.recentBlocks();
        Assert.that(recent.isEmpty() || recent.getLast().id().equals(s.tip().blockId()), "recent blocks end at %s",
                s.tip());
        for (int i = 0; i < recent.size(); i++) {
            Assert.that(i == 0 || recent.get(i).parentId().equals(recent.get(i - 1).id()), "recent blocks unlinked");
            tree.retain(recent.get(i));
            for (Payload p : recent.get(i).payloads()) {
                pool.markCommitted(p.payloadId());
            }
        }
        List<Block> saved = new ArrayList<>(s.savedBlocks());
        saved.sort(java.util.Comparator.comparing(Block::height));
        for (Block block : saved) {
            if (!block.isGenesis() && block.height().isAfter(tree.committedHeight()) && !tree.isFull()
                    && tree.canExtend(block.parentId()) && !tree.containsUncommitted(block.id())
                    && certificates.validQc(block.parentQc())) {
                tree.insert(block);
            }
        }
        enterRound(Round.max(safety.highQc().round(), safety.highTcRound()).next());
        broadcast(new Message.SyncInfo(safety.highQc(), highCommitQc, safety.highTc()));
        if (!safety.highQc().equals(Block.genesisQc())) {
            processQc(safety.highQc(), syncPeer(safety.highQc()));
        }
    }

    private void onMessage(ReplicaId from, Message message) {
        if (from.value() >= config.replicaCount()) {
            return;
        }
        switch (message) {
            case Message.Proposal p -> onProposal(from, p);
            case Message.Vote v -> onVote(from, v);
            case Message.Timeout t -> onTimeout(from, t);
            case Message.PayloadForward f -> onPayloadForward(f);
            case Message.SyncInfo i -> onSyncInfo(from, i);
            case Message.SyncRequest r -> onSyncRequest(from, r);
            case Message.SyncResponse r -> onSyncResponse(from, r);
        }
    }

    private void onPayloadsSubmitted(List<Payload> payloads) {
        List<Payload> added = new ArrayList<>();
        for (Payload payload : payloads) {
            if (payloadValidator.isValid(payload) && pool.add(payload)) {
                added.add(payload);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        ReplicaId leader = leaders.leader(currentRound);
        if (leader.equals(self)) {
            tryPropose();
        } else {
            // Forward to the leader, keep them: what this leader does not order is re-forwarded on timeout.
            forward(leader, added);
        }
        armTimerIfIdle();
    }

    /** Sends payloads in as few forward messages as the proposal limits allow (the receiver's decoding limits). */
    private void forward(ReplicaId to, List<Payload> payloads) {
        List<Payload> chunk = new ArrayList<>();
        long chunkBytes = 0;
        for (Payload payload : payloads) {
            if (!chunk.isEmpty() && (chunk.size() >= config.proposalPayloadsMax()
                    || chunkBytes + payload.sizeBytes() > config.proposalBytesMax())) {
                send(to, new Message.PayloadForward(List.copyOf(chunk)));
                chunk.clear();
                chunkBytes = 0;
            }
            chunk.add(payload);
            chunkBytes += payload.sizeBytes();
        }
        send(to, new Message.PayloadForward(List.copyOf(chunk)));
    }

    private void onPayloadForward(Message.PayloadForward forward) {
        int added = 0;
        for (Payload payload : forward.payloads().subList(0,
                Math.min(forward.payloads().size(), config.proposalPayloadsMax()))) {
            if (payloadValidator.isValid(payload) && pool.add(payload)) {
                added++;
            }
        }
        if (added > 0) {
            tryPropose();
            armTimerIfIdle();
        }
    }

    private void onTimer(TimerId timerId) {
        if (timerId.sequence() != timerSequence || !timerId.round().equals(currentRound)) {
            return;
        }
        timerArmed = false;
        if (hasWork()) {
            retrySync();
            localTimeout();
            armTimer();
        }
    }

    // ---- proposals and votes ----

    private void onProposal(ReplicaId from, Message.Proposal proposal) {
        Block block = proposal.block();
        TimeoutCert tc = proposal.tc();
        if (block.isGenesis() || !from.equals(block.author()) || !from.equals(leaders.leader(block.round()))
                || block.payloads().size() > config.proposalPayloadsMax()
                || block.payloadBytes() > config.proposalBytesMax() || !certificates.validQc(block.parentQc())) {
            return;
        }
        if (tc != null && (!block.round().follows(tc.round()) || !certificates.validTc(tc))) {
            return;
        }
        processQc(block.parentQc(), from);
        if (tc != null) {
            processTc(tc);
        }
        if (!block.height().isAfter(tree.committedHeight())) {
            return;
        }
        if (!tree.canExtend(block.parentId())) {
            if (block.round().compareTo(currentRound) >= 0) {
                deferredProposal = proposal;
            }
            requestSync(from, block.parentId());
            return;
        }
        if (!tree.containsUncommitted(block.id())) {
            if (tree.isFull()) {
                return;
            }
            insert(block);
        }
        if (!block.payloads().isEmpty()) {
            armTimerIfIdle();
        }
        tryVote(proposal);
    }

    private void tryVote(Message.Proposal proposal) {
        Block block = proposal.block();
        if (!block.round().equals(currentRound) || !block.round().isAfter(safety.lastVotedRound())) {
            return;
        }
        if (plant != SafetyPlant.SKIP_LOCK_CHECK && !safeToVote(block, proposal.tc())) {
            return;
        }
        if (!payloadsValid(block)) {
            return;
        }
        Round locked = Round.max(safety.lockedRound(), block.parentQc().round());
        persist(new SafetyState(block.round(), locked, safety.highQc(), safety.highTc()));
        VoteData data = block.voteData();
        Message.Vote vote = new Message.Vote(data, self, signer.sign(data.signingBytes()));
        ReplicaId nextLeader = leaders.leader(block.round().next());
        if (nextLeader.equals(self)) {
            onVote(self, vote);
        } else {
            sendsOut.add(new Actions.Send(nextLeader, vote, true));
        }
    }

    /** DiemBFT v4 safe_to_vote: extend the previous round's QC, or the TC's highest QC after a timeout. */
    private boolean safeToVote(Block block, TimeoutCert tc) {
        Round qcRound = block.parentQc().round();
        if (!block.round().isAfter(Round.max(safety.lastVotedRound(), qcRound))) {
            return false;
        }
        if (block.round().follows(qcRound)) {
            return true;
        }
        return tc != null && block.round().follows(tc.round()) && qcRound.compareTo(tc.maxHighQcRound()) >= 0;
    }

    private boolean payloadsValid(Block block) {
        Set<String> onChain = tree.payloadIdsOnChain(block.parentId());
        Set<String> inBlock = new HashSet<>();
        for (Payload p : block.payloads()) {
            if (!inBlock.add(p.payloadId()) || onChain.contains(p.payloadId()) || pool.isCommitted(p.payloadId())
                    || !payloadValidator.isValid(p)) {
                return false;
            }
        }
        return true;
    }

    private void onVote(ReplicaId from, Message.Vote vote) {
        VoteData data = vote.voteData();
        if (!from.equals(vote.voter()) || !leaders.leader(data.round().next()).equals(self)
                || data.round().next().compareTo(currentRound) < 0
                || data.round().value() > currentRound.value() + config.roundsAheadMax()
                || certifiedRounds.contains(data.round()) || !certificates.validVote(vote)) {
            return;
        }
        // One vote per voter per round is counted (an equivocating voter cannot grow this map without bound).
        VoteData earlier = voters.computeIfAbsent(data.round(), r -> new HashMap<>()).putIfAbsent(from, data);
        if (earlier != null && !earlier.equals(data)) {
            return;
        }
        TreeMap<ReplicaId, ReplicaSignature> signers = votes.computeIfAbsent(data.round(), r -> new HashMap<>())
                .computeIfAbsent(data, d -> new TreeMap<>());
        signers.put(from, new ReplicaSignature(from, vote.signature()));
        if (signers.size() >= certificates.quorum()) {
            certifiedRounds.add(data.round());
            QuorumCert qc = new QuorumCert(data, List.copyOf(signers.values()));
            Assert.that(certificates.validQc(qc), "formed an invalid QC %s", qc);
            processQc(qc, self);
        }
    }

    private void tryPropose() {
        if (!leaders.leader(currentRound).equals(self) || !currentRound.isAfter(proposedRound)
                || proposalsThisStep >= PROPOSALS_PER_STEP_MAX) {
            return;
        }
        QuorumCert qc = safety.highQc();
        TimeoutCert tc = null;
        if (!currentRound.follows(qc.round())) {
            if (safety.highTc() == null || !currentRound.follows(safety.highTc().round())) {
                return;
            }
            tc = safety.highTc();
        }
        if (!tree.canExtend(qc.blockId())) {
            requestSync(syncPeer(qc), qc.blockId());
            return;
        }
        List<Payload> batch = pool.cut(tree.payloadIdsOnChain(qc.blockId()), config.proposalPayloadsMax(),
                config.proposalBytesMax());
        // Without payloads, propose only to finish committing earlier payloads: while a payload block is
        // uncommitted, or to carry the QC that just committed one (others learn of commits from the next block).
        boolean finishing = tree.uncommittedPayloadsOnChain(qc.blockId()) || (payloadCommitQcRound != null && qc.round().equals(payloadCommitQcRound));
        if (batch.isEmpty() && !finishing && !config.emptyProposals()) {
            return;
        }
        proposedRound = currentRound;
        proposalsThisStep++;
        Message.Proposal proposal = new Message.Proposal(new Block(currentRound, self, qc, batch), tc);
        broadcast(proposal);
        onProposal(self, proposal);
    }

    // ---- timeouts ----

    private void localTimeout() {
        QuorumCert highQc = safety.highQc();
        // DiemBFT v4 safe_to_timeout: the reported QC is at least the lock; the round follows a QC or TC.
        Assert.that(highQc.round().compareTo(safety.lockedRound()) >= 0, "highQc=%s below lock %s", highQc,
                safety.lockedRound());
        Assert.that(currentRound.follows(highQc.round()) || currentRound.follows(safety.highTcRound()),
                "round %s follows neither %s nor tc %s", currentRound, highQc, safety.highTcRound());
        Assert.that(currentRound.compareTo(safety.lastVotedRound()) >= 0, "timeout %s below lastVoted %s",
                currentRound, safety.lastVotedRound());
        persist(new SafetyState(currentRound, safety.lockedRound(), highQc, safety.highTc()));
        timedOutRound = currentRound;
        Message.Timeout timeout = new Message.Timeout(currentRound, highQc, self,
                signer.sign(Signatures.timeoutBytes(currentRound, highQc.round())));
        if (config.replicaCount() > 1) {
            sendsOut.add(new Actions.Send(null, timeout, true));
        }
        if (!pool.isEmpty()) {
            // The leader may be censoring or down: give every replica our pending payloads.
            broadcast(new Message.PayloadForward(pool.cut(Set.of(), config.proposalPayloadsMax(),
                    config.proposalBytesMax())));
        }
        onTimeout(self, timeout);
    }

    private void onTimeout(ReplicaId from, Message.Timeout timeout) {
        if (!from.equals(timeout.author())) {
            return;
        }
        if (!from.equals(self) && (timeout.highQc().round().compareTo(safety.highQc().round()) < 0
                || timeout.round().compareTo(currentRound) < 0)) {
            // The sender lags: hand it our certificates (DiemBFT SyncInfo).
            send(from, new Message.SyncInfo(safety.highQc(), highCommitQc, safety.highTc()));
        } else if (!from.equals(self) && timeout.round().isAfter(currentRound)
                && timeout.round().value() <= currentRound.value() + config.roundsAheadMax()) {
            // The sender is ahead: a timeout carries no TC to follow it with, so show it ours, and it answers with
            // its certificates (onSyncInfo) — otherwise a replica that fell behind without pending work of its own
            // would never time out, and never catch up, while the others wait for its timeout to form a TC.
            send(from, new Message.SyncInfo(safety.highQc(), highCommitQc, safety.highTc()));
        }
        if (timeout.round().compareTo(currentRound) < 0
                || timeout.round().value() > currentRound.value() + config.roundsAheadMax()
                || !certificates.validTimeout(timeout)) {
            return;
        }
        processQc(timeout.highQc(), from);
        if (timeout.round().compareTo(currentRound) < 0) {
            return;
        }
        TreeMap<ReplicaId, TimeoutSignature> signers = timeouts.computeIfAbsent(timeout.round(), r -> new TreeMap<>());
        signers.put(from, new TimeoutSignature(from, timeout.highQc().round(), timeout.signature()));
        // Bracha-style amplification: f+1 timeouts mean at least one honest replica gave up on this round.
        if (signers.size() >= config.faultsMax() + 1 && timeout.round().equals(currentRound)
                && currentRound.isAfter(timedOutRound)) {
            localTimeout();
            armTimerIfIdle();
            return;
        }
        if (signers.size() >= certificates.quorum() && timeout.round().compareTo(currentRound) >= 0) {
            TimeoutCert tc = new TimeoutCert(timeout.round(), List.copyOf(signers.values()));
            Assert.that(certificates.validTc(tc), "formed an invalid TC %s", tc);
            processTc(tc);
        }
    }

    // ---- certificates, rounds, commits ----

    private void processQc(QuorumCert qc, ReplicaId source) {
        if (qc.round().isAfter(safety.highQc().round())) {
            persist(new SafetyState(safety.lastVotedRound(), safety.lockedRound(), qc, safety.highTc()));
        }
        if (qc.voteData().commitsParent() && qc.round().isAfter(highCommitQc.round())) {
            highCommitQc = qc;
        }
        tryCommit(source);
        if (qc.round().next().isAfter(currentRound)) {
            enterRound(qc.round().next());
        }
    }

    private void processTc(TimeoutCert tc) {
        if (tc.round().isAfter(safety.highTcRound())) {
            persist(new SafetyState(safety.lastVotedRound(), safety.lockedRound(), safety.highQc(), tc));
        }
        if (tc.round().next().isAfter(currentRound)) {
            enterRound(tc.round().next());
        }
    }

    private void tryCommit(ReplicaId source) {
        VoteData data = highCommitQc.voteData();
        if (!data.commitsParent() || !data.parentHeight().isAfter(tree.committedHeight())) {
            if (data.commitsParent() && data.parentHeight().equals(tree.committedHeight())
                    && !data.parentId().equals(tree.tip().blockId())) {
                conflictingCommitCertificates++;
            }
            return;
        }
        List<Block> path = tree.pathFromTip(data.parentId());
        if (path == null) {
            requestSync(source == null || source.equals(self) ? syncPeer(highCommitQc) : source, data.parentId());
            return;
        }
        Assert.that(!path.isEmpty() && path.getLast().height().equals(data.parentHeight()), "path to %s", data);
        boolean hadPayloads = false;
        for (Block block : path) {
            hadPayloads |= !block.payloads().isEmpty();
            for (Payload p : block.payloads()) {
                pool.markCommitted(p.payloadId());
            }
        }
        if (hadPayloads) {
            payloadCommitQcRound = highCommitQc.round();
        }
        Height before = tree.committedHeight();
        tree.commit(path);
        Assert.that(tree.committedHeight().value() == before.value() + path.size(), "commit only extends: %s -> %s",
                before, tree.committedHeight());
        commitsOut.add(new Actions.Commit(path, highCommitQc));
    }

    private void enterRound(Round round) {
        Assert.that(round.isAfter(currentRound), "round %s -> %s", currentRound, round);
        currentRound = round;
        if (deferredProposal != null && deferredProposal.block().round().compareTo(round) < 0) {
            deferredProposal = null;
        }
        Round keepFrom = new Round(Math.max(0, round.value() - 1));
        votes.headMap(keepFrom).clear();
        voters.headMap(keepFrom).clear();
        timeouts.headMap(round).clear();
        certifiedRounds.removeIf(r -> r.compareTo(keepFrom) < 0);
        armTimer();
        tryPropose();
    }

    private long roundTimeoutMillis() {
        // Exponential backoff over rounds since the last QC, capped. It starts at the third round without a QC: a
        // crashed leader costs two rounds (the round whose votes it should have collected, then its own), and both
        // keep the base timeout so a new leader commits within twice the view timeout.
        long roundsWithoutQc = Math.max(0, currentRound.value() - safety.highQc().round().value() - 2);
        long timeout = config.roundTimeoutMillis() << Math.min(roundsWithoutQc, 20);
        return Math.min(timeout, config.roundTimeoutMaxMillis());
    }

    private void armTimer() {
        timerSequence++;
        timerArmed = true;
        timersOut.add(new Actions.SetTimer(new TimerId(currentRound, timerSequence), roundTimeoutMillis()));
    }

    private void armTimerIfIdle() {
        if (!timerArmed) {
            armTimer();
        }
    }

    /** Timeouts only while there is something to order or to finish committing (no view changes while idle). */
    private boolean hasWork() {
        VoteData commit = highCommitQc.voteData();
        return !pool.isEmpty() || deferredProposal != null
                || (commit.commitsParent() && commit.parentHeight().isAfter(tree.committedHeight()))
                || tree.uncommittedPayloadsOnChain(safety.highQc().blockId())
                || (!tree.canExtend(safety.highQc().blockId())
                        && safety.highQc().height().isAfter(tree.committedHeight()));
    }

    // ---- sync ----

    private void onSyncInfo(ReplicaId from, Message.SyncInfo info) {
        if (!certificates.validQc(info.highQc()) || !certificates.validQc(info.highCommitQc())
                || (info.highTc() != null && !certificates.validTc(info.highTc()))) {
            return;
        }
        Round theirTc = info.highTc() == null ? Round.ZERO : info.highTc().round();
        if (safety.highQc().round().isAfter(info.highQc().round()) || safety.highTcRound().isAfter(theirTc)) {
            send(from, new Message.SyncInfo(safety.highQc(), highCommitQc, safety.highTc()));
        }
        processQc(info.highCommitQc(), from);
        processQc(info.highQc(), from);
        if (info.highTc() != null) {
            processTc(info.highTc());
        }
    }

    private void requestSync(ReplicaId to, Digest blockId) {
        if (to != null && !to.equals(self)) {
            send(to, new Message.SyncRequest(blockId, tree.committedHeight()));
        }
    }

    private void onSyncRequest(ReplicaId from, Message.SyncRequest request) {
        List<Block> chain = tree.chainAbove(request.blockId(), request.committedHeight(), config.syncBlocksMax(),
                config.proposalBytesMax());
        if (!chain.isEmpty()) {
            send(from, new Message.SyncResponse(chain));
        }
    }

    private void onSyncResponse(ReplicaId from, Message.SyncResponse response) {
        int inserted = 0;
        for (Block block : response.blocks().subList(0, Math.min(response.blocks().size(), config.syncBlocksMax()))) {
            if (block.isGenesis() || !block.height().isAfter(tree.committedHeight())
                    || tree.containsUncommitted(block.id())) {
                continue;
            }
            if (!tree.canExtend(block.parentId()) || tree.isFull() || !certificates.validQc(block.parentQc())
                    || !leaders.leader(block.round()).equals(block.author())) {
                break;
            }
            insert(block);
            inserted++;
        }
        if (inserted == 0) {
            return;
        }
        tryCommit(from);
        if (deferredProposal != null && tree.canExtend(deferredProposal.block().parentId())) {
            Message.Proposal deferred = deferredProposal;
            deferredProposal = null;
            onProposal(deferred.block().author(), deferred);
        }
        tryPropose();
    }

    // ---- output helpers and invariants ----

    private void insert(Block block) {
        tree.insert(block);
        blocksOut.add(block);
    }

    private void persist(SafetyState next) {
        Assert.that(next.lastVotedRound().compareTo(safety.lastVotedRound()) >= 0, "lastVotedRound went back");
        Assert.that(next.lockedRound().compareTo(safety.lockedRound()) >= 0, "lock went back");
        Assert.that(next.highQc().round().compareTo(safety.highQc().round()) >= 0, "highQc went back");
        safety = next;
        persistOut = next;
    }

    private void send(ReplicaId to, Message message) {
        if (!to.equals(self)) {
            sendsOut.add(new Actions.Send(to, message, false));
        }
    }

    private void broadcast(Message message) {
        if (config.replicaCount() > 1) {
            sendsOut.add(new Actions.Send(null, message, false));
        }
    }

    /** A signer of {@code qc} other than this replica, rotating with each timer so a dead peer is not asked forever. */
    private ReplicaId syncPeer(QuorumCert qc) {
        List<ReplicaId> peers = new ArrayList<>();
        for (ReplicaSignature s : qc.signatures()) {
            if (!s.signer().equals(self)) {
                peers.add(s.signer());
            }
        }
        return peers.isEmpty() ? null : peers.get((int) (timerSequence % peers.size()));
    }

    /** On each timeout with work, re-ask for whatever is missing (an earlier request or reply may have been lost). */
    private void retrySync() {
        VoteData commit = highCommitQc.voteData();
        if (commit.commitsParent() && commit.parentHeight().isAfter(tree.committedHeight())
                && tree.pathFromTip(commit.parentId()) == null) {
            requestSync(syncPeer(highCommitQc), commit.parentId());
        }
        if (!tree.canExtend(safety.highQc().blockId()) && safety.highQc().height().isAfter(tree.committedHeight())) {
            requestSync(syncPeer(safety.highQc()), safety.highQc().blockId());
        }
        if (deferredProposal != null) {
            requestSync(deferredProposal.block().author(), deferredProposal.block().parentId());
        }
    }

    private void checkInvariants() {
        Round previousVote = null;
        for (Actions.Send send : sendsOut) {
            if (send.message() instanceof Message.Vote v) {
                Round round = v.voteData().round();
                // Never two votes in one round, never a vote above what is persisted.
                Assert.that(previousVote == null || round.isAfter(previousVote), "votes %s then %s", previousVote,
                        round);
                Assert.that(round.compareTo(safety.lastVotedRound()) <= 0, "vote %s but lastVoted %s", round,
                        safety.lastVotedRound());
                previousVote = round;
            }
        }
        Assert.that(safety.highQc().round().compareTo(safety.lockedRound()) >= 0, "lock above highQc");
        Assert.that(currentRound.isAfter(safety.highQc().round()), "round %s not above highQc %s", currentRound,
                safety.highQc());
        Assert.that(pool.size() <= config.pendingPayloadsMax(), "pool=%d", pool.size());
        Assert.that(tree.size() <= config.treeBlocksMax(), "tree=%d", tree.size());
    }
}
