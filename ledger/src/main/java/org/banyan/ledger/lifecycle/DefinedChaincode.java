package org.banyan.ledger.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.lifecycle.StateMetadata;

/**
 * A committed chaincode definition: Fabric's {@code ChaincodeDefinition} structure, the fields {@value #SEQUENCE},
 * then the parameters' fields, in Fabric's order, under {@code namespaces/…/<name>} in public state.
 *
 * @param sequence 1 for the first definition, one more for each upgrade
 */
record DefinedChaincode(long sequence, ChaincodeParameters parameters) {
    static final String DATATYPE = "ChaincodeDefinition";
    static final String SEQUENCE = "Sequence";

    DefinedChaincode {
        Objects.requireNonNull(parameters, "parameters");
    }

    List<StateSerializer.Field> fields() {
        List<StateSerializer.Field> fields = new ArrayList<>();
        fields.add(StateSerializer.Field.int64(SEQUENCE, sequence));
        fields.addAll(parameters.fields());
        return fields;
    }

    void write(LifecycleState state, String name) {
        StateSerializer.serialize(state, LifecycleNamespace.NAMESPACES, name, DATATYPE, fields());
    }

    /** The current sequence of {@code name}: 0 when it was never defined (Fabric reads the field alone). */
    static long currentSequence(LifecycleState state, String name) {
        return StateSerializer.int64(state, LifecycleNamespace.NAMESPACES, name, SEQUENCE);
    }

    /**
     * The committed definition of {@code name}, empty when none.
     *
     * @throws LifecycleException when the namespace holds something that is not a chaincode definition
     */
    static Optional<DefinedChaincode> read(LifecycleState state, String name) {
        Optional<StateMetadata> metadata = StateSerializer.metadata(state, LifecycleNamespace.NAMESPACES, name);
        if (metadata.isEmpty()) {
            return Optional.empty();
        }
        if (!metadata.get().getDatatype().equals(DATATYPE)) {
            throw new LifecycleException("not a chaincode type: " + metadata.get().getDatatype());
        }
        long sequence = currentSequence(state, name);
        return Optional.of(new DefinedChaincode(sequence,
                ChaincodeParameters.read(state, LifecycleNamespace.NAMESPACES, name)));
    }

    @Override
    public String toString() {
        return "sequence: " + sequence + ", " + parameters;
    }
}
