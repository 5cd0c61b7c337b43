package org.banyan.ledger.validation;

import java.util.Objects;
import org.banyan.protocol.policy.CompiledPolicy;
import org.banyan.protocol.policy.PolicyEvaluator;
import org.banyan.protocol.policy.PolicyVerdict;
import org.banyan.protocol.policy.Signers;

/**
 * A chaincode's endorsement policy, in the two forms Fabric's {@code ApplicationPolicy} allows: a signature
 * policy of its own, or a reference to a policy of the channel configuration.
 */
public sealed interface EndorsementPolicy {
    /** Evaluates the policy for endorsers whose signatures are already verified. */
    PolicyVerdict evaluate(Signers endorsers, PolicyEvaluator channelPolicies);

    /**
     * A compiled signature policy ({@code SignaturePolicies.compile}).
     *
     * @param description for reasons, e.g. {@code AND('Org1MSP.peer','Org2MSP.peer')}
     */
    record Signature(CompiledPolicy policy, String description) implements EndorsementPolicy {
        public Signature {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(description, "description");
        }

        @Override
        public PolicyVerdict evaluate(Signers endorsers, PolicyEvaluator channelPolicies) {
            PolicyVerdict verdict = policy.evaluate(endorsers);
            return verdict.satisfied() ? verdict : PolicyVerdict.unsatisfied(description + ": " + verdict.reason());
        }
    }

    /**
     * A channel configuration policy by absolute path, e.g. {@code /Channel/Application/Endorsement}. A path
     * naming no policy is unsatisfied (Fabric's reject policy).
     */
    record ChannelPolicy(String path) implements EndorsementPolicy {
        public ChannelPolicy {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public PolicyVerdict evaluate(Signers endorsers, PolicyEvaluator channelPolicies) {
            return channelPolicies.evaluate(path, endorsers);
        }
    }
}
