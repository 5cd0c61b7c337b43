package org.banyan.ledger.validation;

import com.google.protobuf.ByteString;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of a chaincode definition validation uses: what Fabric's {@code _lifecycle} commits (name, sequence,
 * version, init-required, and the endorsement policy as an {@code ApplicationPolicy}) with that policy compiled.
 *
 * @param name the chaincode name, which is also its state namespace
 * @param sequence the committed sequence (1 for the first definition, one more per upgrade); 0 for a definition
 *     that does not come from {@code _lifecycle} (the interim {@link ChaincodeDefinitions#channelEndorsement()})
 * @param version the definition's version label, empty when none
 * @param initRequired whether the chaincode must be invoked as init once per version before anything else
 * @param validationParameter the definition's endorsement policy as Fabric stores it: an encoded
 *     {@code protos.ApplicationPolicy} (a signature policy or a channel configuration policy reference); empty
 *     when none
 * @param endorsementPolicy {@code validationParameter} compiled: what the endorsements of a transaction writing
 *     this namespace must satisfy
 * @param keyPolicies keys written under their own policy instead of {@code endorsementPolicy}, as writes to a
 *     Fabric collection are checked against the collection's policy ({@code _lifecycle} uses it for each
 *     organisation's approvals); {@link KeyPolicies#NONE} for a chaincode
 */
public record ChaincodeDefinition(String name, long sequence, String version, boolean initRequired,
                                  ByteString validationParameter, EndorsementPolicy endorsementPolicy,
                                  KeyPolicies keyPolicies) {
    public ChaincodeDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(validationParameter, "validationParameter");
        Objects.requireNonNull(endorsementPolicy, "endorsementPolicy");
        Objects.requireNonNull(keyPolicies, "keyPolicies");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence " + sequence + " is negative");
        }
    }

    /** A definition known only by its policy (interim definitions, tests): sequence 0, no version. */
    public ChaincodeDefinition(String name, EndorsementPolicy endorsementPolicy) {
        this(name, 0, "", false, ByteString.EMPTY, endorsementPolicy, KeyPolicies.NONE);
    }

    /**
     * Policies for some of a namespace's keys, like a Fabric collection's endorsement policy: a write to such a
     * key (without a key-level {@code VALIDATION_PARAMETER}) must satisfy the key's policy, and does not by
     * itself require the chaincode's policy. Implementations must be thread-safe and deterministic.
     */
    @FunctionalInterface
    public interface KeyPolicies {
        /** No key has its own policy. */
        KeyPolicies NONE = key -> Optional.empty();

        /** The policy a write of {@code key} must satisfy, or empty for the chaincode's policy. */
        Optional<EndorsementPolicy> policy(String key);
    }
}
