package org.banyan.ledger.validation;

import java.util.List;
import org.banyan.protocol.Blocks;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The verdict on one block: a validation code per transaction, in block order, and why each invalid one failed.
 *
 * @param codes Fabric's {@code TxValidationCode} per transaction — what TRANSACTIONS_FILTER holds
 * @param reasons per transaction, empty for a VALID one; for logs, not part of any hash
 */
public record BlockValidation(long blockNumber, List<TxValidationCode> codes, List<String> reasons) {
    public BlockValidation {
        codes = List.copyOf(codes);
        reasons = List.copyOf(reasons);
        if (codes.size() != reasons.size()) {
            throw new IllegalArgumentException(codes.size() + " codes, " + reasons.size() + " reasons");
        }
    }

    /** The block with its TRANSACTIONS_FILTER set to {@link #codes()}, ready for {@code ChannelLedger.commit}. */
    public Block applyTo(Block block) {
        if (block.getHeader().getNumber() != blockNumber) {
            throw new IllegalArgumentException("validation of block " + blockNumber + ", block "
                    + block.getHeader().getNumber());
        }
        return Blocks.withValidationCodes(block, codes);
    }

    /** How many transactions are VALID. */
    public int validCount() {
        return (int) codes.stream().filter(code -> code == TxValidationCode.VALID).count();
    }
}
