package org.banyan.protocol;

import org.hyperledger.fabric.protos.common.BlockMetadataIndex;

/**
 * The metadata slots of a Fabric block. Fabric's {@code NewBlock} creates one (empty) entry per value of
 * {@code BlockMetadataIndex}; Banyan does the same so Fabric tooling finds every slot where it expects it.
 */
public final class BlockMetadataSlots {
    /** SIGNATURES(0), LAST_CONFIG(1), TRANSACTIONS_FILTER(2), ORDERER(3), COMMIT_HASH(4). */
    public static final int COUNT = BlockMetadataIndex.COMMIT_HASH_VALUE + 1;

    public static final int SIGNATURES = BlockMetadataIndex.SIGNATURES_VALUE;
    public static final int LAST_CONFIG = BlockMetadataIndex.LAST_CONFIG_VALUE;
    public static final int TRANSACTIONS_FILTER = BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE;
    public static final int COMMIT_HASH = BlockMetadataIndex.COMMIT_HASH_VALUE;

    private BlockMetadataSlots() {}
}
