package org.banyan.protocol.policy;

/**
 * A policy decoded and checked once, evaluated many times. Implementations are immutable and thread-safe; all
 * per-evaluation state lives in the {@link Signers} passed in.
 */
@FunctionalInterface
public interface CompiledPolicy {
    /** Evaluates the policy against the (already deduplicated and signature-checked) signers. */
    PolicyVerdict evaluate(Signers signers);

    /**
     * {@code evaluate(signers).satisfied()}; implementations may answer without composing the reasons of
     * unsatisfied parts (an {@code ANY} policy evaluates every non-matching organisation's sub-policy first).
     */
    default boolean isSatisfiedBy(Signers signers) {
        return evaluate(signers).satisfied();
    }

    /** A policy nothing satisfies, as Fabric's reject policy for a missing name. */
    static CompiledPolicy rejecting(String reason) {
        PolicyVerdict verdict = PolicyVerdict.unsatisfied(reason);
        return signers -> verdict;
    }
}
