package org.banyan.ledger.lifecycle;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.CollectionConfigPackage;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeEndorsementInfo;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeValidationInfo;

/**
 * What an organisation approves and a commit defines, besides the sequence: Fabric's {@code ChaincodeParameters}
 * (version, endorsement plugin, init-required; validation plugin and parameter — the endorsement policy as an
 * {@code ApplicationPolicy}; collections). Stored as the fields {@value #ENDORSEMENT_INFO},
 * {@value #VALIDATION_INFO} and {@value #COLLECTIONS}, in that order.
 */
record ChaincodeParameters(ChaincodeEndorsementInfo endorsementInfo, ChaincodeValidationInfo validationInfo,
                           CollectionConfigPackage collections) {
    static final String DATATYPE = "ChaincodeParameters";
    static final String ENDORSEMENT_INFO = "EndorsementInfo";
    static final String VALIDATION_INFO = "ValidationInfo";
    static final String COLLECTIONS = "Collections";

    ChaincodeParameters {
        Objects.requireNonNull(endorsementInfo, "endorsementInfo");
        Objects.requireNonNull(validationInfo, "validationInfo");
        Objects.requireNonNull(collections, "collections");
    }

    String version() {
        return endorsementInfo.getVersion();
    }

    List<StateSerializer.Field> fields() {
        return List.of(StateSerializer.Field.bytes(ENDORSEMENT_INFO, endorsementInfo.toByteString()),
                StateSerializer.Field.bytes(VALIDATION_INFO, validationInfo.toByteString()),
                StateSerializer.Field.bytes(COLLECTIONS, collections.toByteString()));
    }

    /** Reads the fields of structure {@code name} (missing fields read as empty messages, as in Fabric). */
    static ChaincodeParameters read(LifecycleState state, String space, String name) {
        return new ChaincodeParameters(
                decode(state, space, name, ENDORSEMENT_INFO, ChaincodeEndorsementInfo.parser()),
                decode(state, space, name, VALIDATION_INFO, ChaincodeValidationInfo.parser()),
                decode(state, space, name, COLLECTIONS, CollectionConfigPackage.parser()));
    }

    static <M extends Message> M decode(LifecycleState state, String space, String name, String field, Parser<M> parser) {
        ByteString bytes = StateSerializer.bytes(state, space, name, field);
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new LifecycleException("could not unmarshal key " + StateSerializer.fieldKey(space, name, field)
                    + ": " + e.getMessage(), e);
        }
    }

    /** Empty when equal, else Fabric's message for the first difference ({@code ChaincodeParameters.Equal}). */
    Optional<String> difference(ChaincodeParameters other) {
        HexFormat hex = HexFormat.of();
        if (!version().equals(other.version())) {
            return Optional.of("expected Version '" + version() + "' does not match passed Version '"
                    + other.version() + "'");
        }
        if (!endorsementInfo.getEndorsementPlugin().equals(other.endorsementInfo.getEndorsementPlugin())) {
            return Optional.of("expected EndorsementPlugin '" + endorsementInfo.getEndorsementPlugin()
                    + "' does not match passed EndorsementPlugin '" + other.endorsementInfo.getEndorsementPlugin() + "'");
        }
        if (endorsementInfo.getInitRequired() != other.endorsementInfo.getInitRequired()) {
            return Optional.of("expected InitRequired '" + endorsementInfo.getInitRequired()
                    + "' does not match passed InitRequired '" + other.endorsementInfo.getInitRequired() + "'");
        }
        if (!validationInfo.getValidationPlugin().equals(other.validationInfo.getValidationPlugin())) {
            return Optional.of("expected ValidationPlugin '" + validationInfo.getValidationPlugin()
                    + "' does not match passed ValidationPlugin '" + other.validationInfo.getValidationPlugin() + "'");
        }
        if (!validationInfo.getValidationParameter().equals(other.validationInfo.getValidationParameter())) {
            return Optional.of("expected ValidationParameter '"
                    + hex.formatHex(validationInfo.getValidationParameter().toByteArray())
                    + "' does not match passed ValidationParameter '"
                    + hex.formatHex(other.validationInfo.getValidationParameter().toByteArray()) + "'");
        }
        if (!collections.equals(other.collections)) {
            return Optional.of("Collections do not match");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "endorsement info: (version: '" + version() + "', plugin: '" + endorsementInfo.getEndorsementPlugin()
                + "', init required: " + endorsementInfo.getInitRequired() + "), validation info: (plugin: '"
                + validationInfo.getValidationPlugin() + "', policy: '"
                + HexFormat.of().formatHex(validationInfo.getValidationParameter().toByteArray()) + "')";
    }
}
