package org.banyan.protocol.policy;

import java.util.Objects;

/**
 * Whether identities satisfy a policy and, when not, why (which sub-policy or principal failed).
 *
 * @param satisfied true when the policy is met
 * @param reason empty when satisfied; otherwise a human-readable account of the failure, for logs
 */
public record PolicyVerdict(boolean satisfied, String reason) {
    private static final PolicyVerdict SATISFIED = new PolicyVerdict(true, "");

    /** A failure always says why. */
    public PolicyVerdict {
        Objects.requireNonNull(reason, "reason");
        if (!satisfied && reason.isEmpty()) {
            throw new IllegalArgumentException("an unsatisfied verdict needs a reason");
        }
    }

    /** The satisfied verdict. */
    public static PolicyVerdict satisfiedVerdict() {
        return SATISFIED;
    }

    /** An unsatisfied verdict with its reason. */
    public static PolicyVerdict unsatisfied(String reason) {
        return new PolicyVerdict(false, reason);
    }
}
