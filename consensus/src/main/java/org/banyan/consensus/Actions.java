package org.banyan.consensus;

import java.util.List;
import org.banyan.crypto.Assert;

/**
 * Outputs of one {@link Replica#step}. The node MUST execute them in this order:
 * <ol>
 *   <li>{@link #persist()}: if non-null, save and fsync it, together with {@link #saveBlocks()} (uncommitted
 *       blocks this replica now holds; they are handed back in {@link Event.Started} and may be dropped once
 *       committed). The state supersedes every earlier one and covers every vote and timeout in
 *       {@link #sends()}; nothing may be sent before the fsync returns.</li>
 *   <li>{@link #commits()}: deliver to the ledger, in order (each extends the previous).</li>
 *   <li>{@link #sends()}: transmit, in order.</li>
 *   <li>{@link #timers()}: arm; a later timer with a new id does not cancel earlier ones (stale ones are
 *       ignored by the core).</li>
 * </ol>
 * The constructor enforces the persist-before-send rule: a vote or timeout this replica signed is only present
 * together with a persisted state whose {@code lastVotedRound} covers it.
 */
public record Actions(SafetyState persist, List<Block> saveBlocks, List<Commit> commits, List<Send> sends, List<SetTimer> timers) {
    public Actions {
        saveBlocks = List.copyOf(saveBlocks);
        commits = List.copyOf(commits);
        sends = List.copyOf(sends);
        timers = List.copyOf(timers);
        for (Send send : sends) {
            Round signedRound = switch (send.message()) {
                case Message.Vote v -> v.voteData().round();
                case Message.Timeout t -> t.round();
                default -> null;
            };
            if (signedRound != null && send.ownSignature()) {
                Assert.that(persist != null && !signedRound.isAfter(persist.lastVotedRound()),
                        "signed %s for %s without persisting it first (persist=%s)", send.message().getClass()
                                .getSimpleName(), signedRound, persist);
            }
        }
    }

    public boolean isEmpty() {
        return persist == null && saveBlocks.isEmpty() && commits.isEmpty() && sends.isEmpty() && timers.isEmpty();
    }

    /**
     * Send {@code message} to replica {@code to}, or to every other replica when {@code to} is null.
     * {@code ownSignature} marks votes and timeouts this replica signed in this step.
     */
    public record Send(ReplicaId to, Message message, boolean ownSignature) {
        public boolean isBroadcast() {
            return to == null;
        }
    }

    /** Fire {@link Event.TimerFired} with {@code timerId} after {@code delayMillis}. */
    public record SetTimer(TimerId timerId, long delayMillis) {
        public SetTimer {
            Assert.that(delayMillis > 0, "delayMillis=%d", delayMillis);
        }
    }

    /**
     * Blocks now final, ascending, the first extending the previous commit; {@code commitQc} certifies a child of
     * the last block in the next round, which proves (2-chain rule) that the last block — and hence, by hash
     * links, every block before it — is committed. The node stores it in the block's SIGNATURES metadata.
     */
    public record Commit(List<Block> blocks, QuorumCert commitQc) {
        public Commit {
            blocks = List.copyOf(blocks);
            Assert.that(!blocks.isEmpty(), "empty commit");
            Assert.that(commitQc.voteData().commitsParent(), "not a commit certificate: %s", commitQc);
            Assert.that(blocks.getLast().id().equals(commitQc.voteData().parentId()), "commitQc=%s last=%s",
                    commitQc, blocks.getLast());
            for (int i = 1; i < blocks.size(); i++) {
                Assert.that(blocks.get(i).parentId().equals(blocks.get(i - 1).id()), "unlinked commit at %d", i);
            }
        }
    }
}
