package org.banyan.consensus;

/**
 * Decides whether a payload may be ordered (for the node: well-formed envelope, channel, creator signature,
 * writers policy, size, not already on the ledger). A proposal with any invalid payload gets no vote. Must be
 * deterministic for a given ledger state.
 */
public interface PayloadValidator {
    boolean isValid(Payload payload);

    static PayloadValidator acceptAll() {
        return payload -> true;
    }
}
