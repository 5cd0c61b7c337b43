package org.banyan.protocol.policy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;

/**
 * Fabric's implicit-meta policies ({@code common/policies/implicitmeta.go}): {@code <RULE> <SubPolicy>} over the
 * policy of that name in every child group. Thresholds as Fabric computes them: ANY 1, ALL the number of child
 * groups, MAJORITY half of them (rounded down) plus one; with no child groups the threshold is 0, so the policy
 * is satisfied by anyone. A child group without the sub-policy still counts towards the number and never
 * satisfies (Fabric substitutes its reject policy).
 */
final class ImplicitMetaPolicies {
    private ImplicitMetaPolicies() {}

    /**
     * @param value the {@code Policy.value} bytes ({@code ImplicitMetaPolicy})
     * @param childPolicies each child group's policies by group name (sorted, so reasons are stable)
     */
    static CompiledPolicy compile(ByteString value, SortedMap<String, SortedMap<String, CompiledPolicy>> childPolicies) {
        ImplicitMetaPolicy definition;
        try {
            definition = ImplicitMetaPolicy.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidPolicyException("not an ImplicitMetaPolicy", e);
        }
        String subPolicy = definition.getSubPolicy();
        List<String> groups = new ArrayList<>();
        List<CompiledPolicy> subPolicies = new ArrayList<>();
        childPolicies.forEach((group, policies) -> {
            groups.add(group);
            subPolicies.add(policies.getOrDefault(subPolicy,
                    CompiledPolicy.rejecting("no policy " + subPolicy + " in group " + group)));
        });
        int threshold = switch (definition.getRule()) {
            case ANY -> 1;
            case ALL -> subPolicies.size();
            case MAJORITY -> subPolicies.size() / 2 + 1;
            case UNRECOGNIZED -> throw new InvalidPolicyException("unknown implicit meta rule " + definition.getRuleValue());
        };
        // Fabric: "In the special case that there are no policies, consider 0 to be a majority or any".
        int required = subPolicies.isEmpty() ? 0 : threshold;
        String name = definition.getRule() + " " + subPolicy;
        return new Compiled(name, required, List.copyOf(groups), List.copyOf(subPolicies));
    }

    private record Compiled(String name, int required, List<String> groups, List<CompiledPolicy> subPolicies)
            implements CompiledPolicy {
        @Override
        public PolicyVerdict evaluate(Signers signers) {
            if (isSatisfiedBy(signers)) {
                return PolicyVerdict.satisfiedVerdict();
            }
            int satisfied = 0;
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < subPolicies.size(); i++) {
                PolicyVerdict verdict = subPolicies.get(i).evaluate(signers);
                if (verdict.satisfied()) {
                    satisfied++;
                    if (satisfied == required) {
                        return PolicyVerdict.satisfiedVerdict();
                    }
                } else {
                    failures.add(groups.get(i) + ": " + verdict.reason());
                }
            }
            return PolicyVerdict.unsatisfied(name + ": " + satisfied + " of " + subPolicies.size()
                    + " sub-policies satisfied, " + required + " required [" + String.join("; ", failures) + "]");
        }

        @Override
        public boolean isSatisfiedBy(Signers signers) {
            int satisfied = 0;
            for (int i = 0; i < subPolicies.size() && satisfied < required; i++) {
                if (subPolicies.get(i).isSatisfiedBy(signers)) {
                    satisfied++;
                }
            }
            return satisfied >= required;
        }
    }
}
