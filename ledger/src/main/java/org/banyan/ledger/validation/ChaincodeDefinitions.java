package org.banyan.ledger.validation;

import java.util.Optional;

/**
 * The chaincodes defined on a channel, as validation needs them: what Fabric's {@code _lifecycle} namespace
 * answers ({@code org.banyan.ledger.lifecycle.LifecycleDefinitions} reads it from committed state).
 * Implementations must be thread-safe and must answer the same for the whole block being validated.
 */
@FunctionalInterface
public interface ChaincodeDefinitions {
    /** Fabric's default endorsement policy reference, also what {@link #channelEndorsement()} uses. */
    String CHANNEL_ENDORSEMENT_POLICY = "/Channel/Application/Endorsement";

    /** The definition of the chaincode owning {@code namespace}, or empty when none is defined. */
    Optional<ChaincodeDefinition> definition(String namespace);

    /**
     * Interim, for a node not yet wired to {@code LifecycleDefinitions}: every namespace is a defined chaincode
     * whose endorsement policy is the channel's {@value #CHANNEL_ENDORSEMENT_POLICY} (by default
     * {@code MAJORITY Endorsement}: a majority of the organisations' peers), which is what
     * {@code peer lifecycle chaincode approveformyorg} gives a chaincode when no policy is named.
     */
    static ChaincodeDefinitions channelEndorsement() {
        return namespace -> Optional.of(new ChaincodeDefinition(namespace,
                new EndorsementPolicy.ChannelPolicy(CHANNEL_ENDORSEMENT_POLICY)));
    }
}
