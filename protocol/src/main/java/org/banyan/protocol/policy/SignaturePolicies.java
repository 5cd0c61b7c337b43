package org.banyan.protocol.policy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.banyan.crypto.Assert;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

/**
 * Compiles Fabric signature policies ({@code SignaturePolicyEnvelope}) as Fabric's {@code cauthdsl.compile}
 * does, and evaluates them with its exact semantics: each {@code n_out_of} gate tries its rules in order, each
 * rule on a copy of the "used" marks, and keeps the marks of a rule that succeeded; a {@code signed_by} leaf takes
 * the first unused identity satisfying its principal and marks it used. So one identity satisfies at most one
 * leaf, and the search is greedy (no backtracking), exactly as Fabric — a policy that a cleverer assignment could
 * satisfy is unsatisfied here too, and every node agrees with Fabric's peers. A gate with {@code n <= 0} is
 * always satisfied, as in Fabric.
 */
public final class SignaturePolicies {
    /** Fabric's only signature policy envelope version. */
    public static final int VERSION = 0;

    private SignaturePolicies() {}

    /** Compiles a {@code Policy.value} of type SIGNATURE. */
    public static CompiledPolicy compile(ByteString signaturePolicyEnvelope) {
        try {
            return compile(SignaturePolicyEnvelope.parseFrom(signaturePolicyEnvelope));
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidPolicyException("not a SignaturePolicyEnvelope", e);
        }
    }

    /**
     * Compiles a decoded envelope.
     *
     * @throws InvalidPolicyException for a version other than {@value #VERSION}, an empty rule, a
     *     {@code signed_by} index outside the identities or an undecodable ROLE principal
     */
    public static CompiledPolicy compile(SignaturePolicyEnvelope envelope) {
        if (envelope.getVersion() != VERSION) {
            throw new InvalidPolicyException("signature policy version " + envelope.getVersion() + ", only 0 is understood");
        }
        List<Principal> principals = new ArrayList<>();
        for (MSPPrincipal principal : envelope.getIdentitiesList()) {
            principals.add(Principal.decode(principal));
        }
        if (!envelope.hasRule()) {
            throw new InvalidPolicyException("signature policy has no rule");
        }
        Rule root = rule(envelope.getRule(), List.copyOf(principals));
        return new Compiled(root);
    }

    /**
     * Evaluates once without reasons; only an unsatisfied policy is evaluated again, collecting them (evaluation
     * is a pure function of the signers, so both passes agree).
     */
    private record Compiled(Rule root) implements CompiledPolicy {
        @Override
        public PolicyVerdict evaluate(Signers signers) {
            if (isSatisfiedBy(signers)) {
                return PolicyVerdict.satisfiedVerdict();
            }
            List<String> failures = new ArrayList<>();
            boolean satisfied = root.evaluate(signers, new boolean[signers.size()], failures);
            Assert.that(!satisfied, "policy satisfied only when collecting reasons");
            return PolicyVerdict.unsatisfied(String.join("; ", failures));
        }

        @Override
        public boolean isSatisfiedBy(Signers signers) {
            return root.evaluate(signers, new boolean[signers.size()], null);
        }
    }

    private static Rule rule(SignaturePolicy policy, List<Principal> principals) {
        return switch (policy.getTypeCase()) {
            case SIGNED_BY -> {
                int index = policy.getSignedBy();
                if (index < 0 || index >= principals.size()) {
                    throw new InvalidPolicyException("identity index out of range, requested " + index
                            + ", but identities length is " + principals.size());
                }
                yield new SignedBy(principals.get(index));
            }
            case N_OUT_OF -> {
                List<Rule> rules = new ArrayList<>();
                for (SignaturePolicy child : policy.getNOutOf().getRulesList()) {
                    rules.add(rule(child, principals));
                }
                yield new NOutOf(policy.getNOutOf().getN(), List.copyOf(rules));
            }
            case TYPE_NOT_SET -> throw new InvalidPolicyException("empty policy element");
        };
    }

    /** A node of the compiled rule tree. */
    private sealed interface Rule {
        /**
         * @param used marks of identities already taken by satisfied leaves; updated on success
         * @param failures receives why leaves and gates failed, for the reason of an unsatisfied verdict; null
         *     when only the outcome is wanted
         */
        boolean evaluate(Signers signers, boolean[] used, List<String> failures);

        String describe();
    }

    private record SignedBy(Principal principal) implements Rule {
        @Override
        public boolean evaluate(Signers signers, boolean[] used, List<String> failures) {
            if (failures == null) {
                for (int i = 0; i < used.length; i++) {
                    if (!used[i] && signers.satisfies(i, principal)) {
                        used[i] = true;
                        return true;
                    }
                }
                return false;
            }
            List<String> why = new ArrayList<>();
            for (int i = 0; i < used.length; i++) {
                if (used[i]) {
                    continue;
                }
                var failure = signers.check(i, principal);
                if (failure.isEmpty()) {
                    used[i] = true;
                    return true;
                }
                why.add(failure.get());
            }
            failures.add(principal.describe() + ": " + (why.isEmpty() ? "no unused identity" : String.join(", ", why)));
            return false;
        }

        @Override
        public String describe() {
            return principal.describe();
        }
    }

    private record NOutOf(int n, List<Rule> rules) implements Rule {
        @Override
        public boolean evaluate(Signers signers, boolean[] used, List<String> failures) {
            int verified = 0;
            boolean[] trial = new boolean[used.length];
            for (Rule rule : rules) {
                System.arraycopy(used, 0, trial, 0, used.length);
                if (rule.evaluate(signers, trial, failures)) {
                    verified++;
                    System.arraycopy(trial, 0, used, 0, used.length);
                }
            }
            if (verified >= n) {
                return true;
            }
            if (failures != null) {
                failures.add(0, describe() + " satisfied by " + verified);
            }
            return false;
        }

        @Override
        public String describe() {
            List<String> parts = new ArrayList<>();
            rules.forEach(rule -> parts.add(rule.describe()));
            return n + " of [" + String.join(", ", parts) + "]";
        }
    }
}
