package org.banyan.ledger.validation;

import java.util.Objects;

/**
 * The part of a chaincode definition validation uses.
 *
 * @param name the chaincode name, which is also its state namespace
 * @param endorsementPolicy what the endorsements of a transaction writing this namespace must satisfy
 */
public record ChaincodeDefinition(String name, EndorsementPolicy endorsementPolicy) {
    public ChaincodeDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(endorsementPolicy, "endorsementPolicy");
    }
}
