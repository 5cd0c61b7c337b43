package org.banyan.consensus;

import org.banyan.crypto.Assert;

/**
 * Static parameters of one channel's consensus.
 *
 * @param replicaCount n, the number of consenters (n = 3f+1 tolerates f Byzantine; 1 for development)
 * @param proposalPayloadsMax most payloads in one block (Fabric BatchSize.MaxMessageCount)
 * @param proposalBytesMax most payload bytes in one block (Fabric BatchSize.AbsoluteMaxBytes)
 * @param roundTimeoutMillis the first timeout of a round after progress
 * @param roundTimeoutMaxMillis the cap of the exponential backoff over consecutive timed-out rounds
 * @param emptyProposals propose empty blocks while idle (otherwise a leader proposes only with work)
 * @param pendingPayloadsMax bound of the pending pool; submissions past it are rejected
 * @param treeBlocksMax bound of uncommitted blocks held
 * @param retainedBlocksMax committed blocks kept in memory to serve sync requests
 * @param recentPayloadIdsMax committed payload ids remembered for deduplication
 * @param syncBlocksMax most blocks in one sync response
 * @param roundsAheadMax votes and timeouts this far beyond the current round are dropped
 */
public record ConsensusConfig(int replicaCount, int proposalPayloadsMax, long proposalBytesMax,
        long roundTimeoutMillis, long roundTimeoutMaxMillis, boolean emptyProposals, int pendingPayloadsMax,
        int treeBlocksMax, int retainedBlocksMax, int recentPayloadIdsMax, int syncBlocksMax, int roundsAheadMax) {
    public ConsensusConfig {
        Assert.that(replicaCount >= 1 && replicaCount <= 1024, "replicaCount=%d", replicaCount);
        Assert.that(proposalPayloadsMax >= 1 && proposalBytesMax >= 1, "payloadsMax=%d bytesMax=%d",
                proposalPayloadsMax, proposalBytesMax);
        Assert.that(roundTimeoutMillis >= 1 && roundTimeoutMaxMillis >= roundTimeoutMillis, "timeout=%d max=%d",
                roundTimeoutMillis, roundTimeoutMaxMillis);
        Assert.that(pendingPayloadsMax >= proposalPayloadsMax && treeBlocksMax >= 4 && retainedBlocksMax >= 1
                && recentPayloadIdsMax >= 1 && syncBlocksMax >= 1 && roundsAheadMax >= 1, "limits %s", "invalid");
    }

    public static ConsensusConfig defaults(int replicaCount) {
        return new ConsensusConfig(replicaCount, 500, 10L << 20, 1_000, 16_000, false, 100_000, 1_024, 1_024,
                100_000, 64, 100);
    }

    /** f: the most Byzantine replicas tolerated. */
    public int faultsMax() {
        return (replicaCount - 1) / 3;
    }

    /** n - f, which is 2f+1 when n = 3f+1: any two quorums share an honest replica. */
    public int quorum() {
        return replicaCount - faultsMax();
    }
}
