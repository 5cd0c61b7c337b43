package org.banyan.ledger.validation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.banyan.crypto.Assert;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.crypto.msp.ValidityTime;
import org.banyan.protocol.config.ChannelConfig;
import org.banyan.protocol.policy.PolicyEvaluator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Validates a block's transactions as Fabric's committing peer does, producing a {@code TxValidationCode} per
 * transaction (see {@code docs/validation.md} for every check, its order and its code):
 *
 * <ol>
 *   <li>well formed (the parser's codes), Fabric's header checks;
 *   <li>creator: a valid identity of a channel MSP that signed the payload; tx ID = SHA-256(nonce ‖ creator);
 *       proposal hash; the channel is this one;
 *   <li>tx ID not on the ledger;
 *   <li>endorsements satisfy the chaincode's (or the written keys') endorsement policies;
 *   <li>then, in block order: key-level policies not changed by an earlier transaction of the block, tx ID not
 *       used by an earlier transaction of the block, and MVCC (reads and range queries still current).
 * </ol>
 *
 * <p>Steps 1–4 of different transactions are independent and run in parallel on the executor; step 5 runs
 * sequentially on the calling thread. The codes depend only on the block, the committed ledger, the
 * configuration, the chaincode definitions and {@code now}, never on scheduling. No clock is read.
 *
 * <p>Immutable and thread-safe, built for one channel configuration; a configuration change builds a new one.
 */
public final class BlockValidator {
    private final TransactionChecks checks;
    private final Executor executor;

    /**
     * @param config the channel configuration in force for the block
     * @param registry the channel's MSPs
     * @param policies the channel's compiled policies (for {@link EndorsementPolicy.ChannelPolicy})
     * @param definitions chaincode definitions, e.g. {@link ChaincodeDefinitions#channelEndorsement()}
     * @param executor runs the signature and policy checks, one task per transaction; {@code Runnable::run}
     *     validates on the calling thread
     */
    public BlockValidator(ChannelConfig config, MspRegistry registry, PolicyEvaluator policies,
                          ChaincodeDefinitions definitions, Executor executor) {
        this.checks = new TransactionChecks(config.channelId(), Objects.requireNonNull(registry, "registry"),
                new EndorsementChecks(registry, Objects.requireNonNull(policies, "policies"),
                        Objects.requireNonNull(definitions, "definitions")));
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** A validator with the configuration's MSPs and policies and the interim chaincode definitions. */
    public static BlockValidator of(ChannelConfig config, Executor executor) {
        MspRegistry registry = MspRegistry.of(config.msps().values());
        return new BlockValidator(config, registry, PolicyEvaluator.of(config, registry),
                ChaincodeDefinitions.channelEndorsement(), executor);
    }

    /**
     * Validates the block against the committed ledger, which must be at height {@code block number}.
     *
     * @param now the instant certificates are checked at — the block's time, the same on every node (never
     *     the local clock, or nodes could disagree on a certificate about to expire)
     * @throws IllegalArgumentException when the ledger is not just below the block
     */
    public BlockValidation validate(Block block, CommittedLedger ledger, Instant now) {
        return validate(block, ledger, ValidityTime.at(Objects.requireNonNull(now, "now")));
    }

    /**
     * As {@link #validate(Block, CommittedLedger, Instant)}, checking certificates as {@code time} says. A node
     * committing blocks passes {@link ValidityTime#atIssuance()}, Fabric's committer rule, so no clock is involved.
     */
    public BlockValidation validate(Block block, CommittedLedger ledger, ValidityTime now) {
        long number = block.getHeader().getNumber();
        if (ledger.height() != number) {
            throw new IllegalArgumentException("block " + number + " validated against a ledger of height " + ledger.height());
        }
        Objects.requireNonNull(now, "now");
        List<CheckedTransaction> checked = checkInParallel(block, ledger, now);
        List<CheckedTransaction> results = inBlockOrder(number, checked, ledger);
        List<TxValidationCode> codes = new ArrayList<>(results.size());
        List<String> reasons = new ArrayList<>(results.size());
        for (CheckedTransaction tx : results) {
            codes.add(tx.code());
            reasons.add(tx.reason());
        }
        return new BlockValidation(number, codes, reasons);
    }

    private List<CheckedTransaction> checkInParallel(Block block, CommittedLedger ledger, ValidityTime now) {
        int count = block.getData().getDataCount();
        List<CompletableFuture<CheckedTransaction>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(CompletableFuture.supplyAsync(
                    () -> checks.check(index, block.getData().getData(index), ledger, now), executor));
        }
        List<CheckedTransaction> checked = new ArrayList<>(count);
        for (CompletableFuture<CheckedTransaction> future : futures) {
            checked.add(future.join()); // a bug (AssertionError) or a ledger read failure propagates
        }
        return checked;
    }

    /** Step 5, sequential: the checks that depend on the block's earlier transactions. */
    private static List<CheckedTransaction> inBlockOrder(long number, List<CheckedTransaction> checked,
                                                         CommittedLedger ledger) {
        List<CheckedTransaction> afterKeyPolicies = keyPolicyDependencies(checked);
        List<CheckedTransaction> afterDuplicates = inBlockDuplicates(afterKeyPolicies);
        MvccChecks mvcc = new MvccChecks(ledger, number);
        List<CheckedTransaction> results = new ArrayList<>(checked.size());
        for (CheckedTransaction tx : afterDuplicates) {
            results.add(tx.valid() ? mvcc.check(tx) : tx);
        }
        Assert.that(results.size() == checked.size(), "results=%d checked=%d", results.size(), checked.size());
        return results;
    }

    /**
     * Fabric's key-level validation parameter dependencies ({@code vpmanagerimpl}): a transaction whose written key
     * had its endorsement policy changed (a metadata write) by an earlier transaction of the block that passed
     * steps 1–4 fails with ENDORSEMENT_POLICY_FAILURE: it was checked against a policy no longer in force.
     */
    private static List<CheckedTransaction> keyPolicyDependencies(List<CheckedTransaction> checked) {
        Set<StateKey> changedPolicies = new HashSet<>();
        List<CheckedTransaction> results = new ArrayList<>(checked.size());
        for (CheckedTransaction tx : checked) {
            CheckedTransaction result = tx;
            if (tx.valid()) {
                for (StateKey key : tx.endorsedKeys()) {
                    if (changedPolicies.contains(key)) {
                        result = tx.withCode(TxValidationCode.ENDORSEMENT_POLICY_FAILURE, "the endorsement policy of "
                                + key.namespace() + "/" + key.key() + " was changed earlier in the block");
                        break;
                    }
                }
                if (result.valid()) {
                    changedPolicies.addAll(tx.metadataWrites());
                }
            }
            results.add(result);
        }
        return results;
    }

    /** Fabric's {@code markTXIdDuplicates}: among transactions valid so far, a repeated tx ID is DUPLICATE_TXID. */
    private static List<CheckedTransaction> inBlockDuplicates(List<CheckedTransaction> checked) {
        Set<String> seen = new HashSet<>();
        List<CheckedTransaction> results = new ArrayList<>(checked.size());
        for (CheckedTransaction tx : checked) {
            if (tx.valid() && !seen.add(tx.txId())) {
                results.add(tx.withCode(TxValidationCode.DUPLICATE_TXID, "tx id " + tx.txId() + " repeats an earlier one in the block"));
            } else {
                results.add(tx);
            }
        }
        return results;
    }
}
