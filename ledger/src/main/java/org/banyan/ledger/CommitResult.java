package org.banyan.ledger;

import com.google.protobuf.ByteString;

/**
 * A committed block.
 *
 * @param commitHash the chained commit hash stored in the block's COMMIT_HASH slot
 * @param validTxCount transactions whose writes were applied
 * @param stateUpdateCount keys changed
 */
public record CommitResult(long blockNumber, ByteString commitHash, int validTxCount, int stateUpdateCount) {}
