package org.banyan.ledger.validation;

import java.util.HashSet;
import java.util.Optional;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.protocol.ParsedTransaction;
import org.banyan.protocol.policy.PolicyEvaluator;
import org.banyan.protocol.policy.Signers;

/**
 * What a transaction's endorsements must satisfy to be VALID, asked before it is ordered: the same check
 * {@link BlockValidator} makes at commit (the chaincode's endorsement policy, each written key's own policy, every
 * written namespace's definition), against the state committed so far. A gateway asks it with hypothetical peers
 * ({@link Signers#peersOf}) to choose which organisations to ask for endorsements, so that what it collects passes
 * validation unless the state changes in between. Thread-safe when {@code definitions} is.
 */
public final class EndorsementRequirement {
    private final EndorsementChecks checks;

    public EndorsementRequirement(MspRegistry registry, PolicyEvaluator channelPolicies,
            ChaincodeDefinitions definitions) {
        this.checks = new EndorsementChecks(registry, channelPolicies, definitions);
    }

    /**
     * Empty when {@code endorsers} satisfy every policy the transaction's writes need, else the reason, as the
     * validator would give it.
     *
     * @param transaction an endorser transaction (its signature is not looked at), e.g. a prepared transaction
     */
    public Optional<String> unsatisfied(ParsedTransaction transaction, Signers endorsers, CommittedLedger ledger) {
        return checks.policyFailure(transaction, endorsers, ledger, new HashSet<>())
                .map(EndorsementChecks.Failure::reason);
    }
}
