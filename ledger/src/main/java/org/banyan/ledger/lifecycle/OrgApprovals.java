package org.banyan.ledger.lifecycle;

import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.lifecycle.StateMetadata;

/**
 * One organisation's approvals: what Fabric keeps in the organisation's implicit collection, here the same keys
 * under {@code _implicit_org_<MSP>/} in public state. For each approved {@code <name>#<sequence>}: the
 * parameters ({@code namespaces/…}, datatype {@value ChaincodeParameters#DATATYPE}) and the package the
 * organisation's nodes run ({@code chaincode-sources/…}, datatype {@value #LOCAL_PACKAGE}, field
 * {@value #PACKAGE_ID}; empty when the organisation approved without a package).
 */
final class OrgApprovals {
    static final String LOCAL_PACKAGE = "ChaincodeLocalPackage";
    static final String PACKAGE_ID = "PackageID";

    private final String mspId;
    private final LifecycleState state;

    /** @param lifecycle the whole {@code _lifecycle} namespace; this narrows it to the organisation's keys */
    OrgApprovals(String mspId, LifecycleState lifecycle) {
        this.mspId = mspId;
        this.state = lifecycle.scoped(LifecycleNamespace.orgPrefix(mspId));
    }

    String mspId() {
        return mspId;
    }

    /** Fabric's private name of an approval: {@code <name>#<sequence>}. */
    static String privateName(String name, long sequence) {
        return name + "#" + sequence;
    }

    /** Records the approval: parameters and package, each written only where it changed. */
    void approve(String name, long sequence, ChaincodeParameters parameters, String packageId) {
        String key = privateName(name, sequence);
        StateSerializer.serialize(state, LifecycleNamespace.NAMESPACES, key, ChaincodeParameters.DATATYPE,
                parameters.fields());
        StateSerializer.serialize(state, LifecycleNamespace.CHAINCODE_SOURCES, key, LOCAL_PACKAGE,
                List.of(StateSerializer.Field.string(PACKAGE_ID, packageId)));
    }

    /** Whether the organisation approved exactly these parameters at this sequence (Fabric's {@code IsSerialized}). */
    boolean approved(String name, long sequence, ChaincodeParameters parameters) {
        return StateSerializer.isSerialized(state, LifecycleNamespace.NAMESPACES, privateName(name, sequence),
                ChaincodeParameters.DATATYPE, parameters.fields());
    }

    /** The parameters approved at this sequence, empty when none. */
    Optional<ChaincodeParameters> parameters(String name, long sequence) {
        String key = privateName(name, sequence);
        Optional<StateMetadata> metadata = StateSerializer.metadata(state, LifecycleNamespace.NAMESPACES, key);
        if (metadata.isEmpty()) {
            return Optional.empty();
        }
        if (!metadata.get().getDatatype().equals(ChaincodeParameters.DATATYPE)) {
            throw new LifecycleException("not a chaincode parameters type: " + metadata.get().getDatatype());
        }
        return Optional.of(ChaincodeParameters.read(state, LifecycleNamespace.NAMESPACES, key));
    }

    /** The package approved at this sequence ("" when approved without one), empty when no source was recorded. */
    Optional<String> packageId(String name, long sequence) {
        String key = privateName(name, sequence);
        Optional<StateMetadata> metadata = StateSerializer.metadata(state, LifecycleNamespace.CHAINCODE_SOURCES, key);
        if (metadata.isEmpty()) {
            return Optional.empty();
        }
        if (!metadata.get().getDatatype().equals(LOCAL_PACKAGE)) {
            throw new LifecycleException("not a chaincode local package type: " + metadata.get().getDatatype());
        }
        return Optional.of(StateSerializer.string(state, LifecycleNamespace.CHAINCODE_SOURCES, key, PACKAGE_ID));
    }
}
