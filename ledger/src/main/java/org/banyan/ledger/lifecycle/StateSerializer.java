package org.banyan.ledger.lifecycle;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.banyan.crypto.Assert;
import org.hyperledger.fabric.protos.peer.lifecycle.StateData;
import org.hyperledger.fabric.protos.peer.lifecycle.StateMetadata;

/**
 * Fabric's lifecycle {@code Serializer}: a structure named {@code name} in key space {@code space} ({@code
 * namespaces} or {@code chaincode-sources}) is stored as one metadata key, {@code <space>/metadata/<name>} =
 * {@code StateMetadata{datatype, field names}}, and one key per field, {@code <space>/fields/<name>/<field>} =
 * {@code StateData} (an int64, bytes or a string). Writing stores only the keys whose bytes change and deletes
 * fields the structure no longer has, as Fabric does, so re-approving an unchanged definition writes nothing.
 *
 * <p>Values are compared as bytes; both sides are encoded by this class, so equal structures have equal bytes.
 */
final class StateSerializer {
    static final String METADATA_INFIX = "metadata";
    static final String FIELDS_INFIX = "fields";

    /** One field of a structure, in declaration order. */
    record Field(String name, StateData value) {
        static Field int64(String name, long value) {
            return new Field(name, StateData.newBuilder().setInt64(value).build());
        }

        static Field bytes(String name, ByteString value) {
            return new Field(name, StateData.newBuilder().setBytes(value).build());
        }

        static Field string(String name, String value) {
            return new Field(name, StateData.newBuilder().setString(value).build());
        }
    }

    private StateSerializer() {}

    static String metadataKey(String space, String name) {
        return space + "/" + METADATA_INFIX + "/" + name;
    }

    static String fieldKey(String space, String name, String field) {
        return space + "/" + FIELDS_INFIX + "/" + name + "/" + field;
    }

    /** Fabric's {@code Serialize}: writes changed fields, the metadata if it changed, deletes stale fields. */
    static void serialize(LifecycleState state, String space, String name, String datatype, List<Field> fields) {
        Assert.that(!fields.isEmpty(), "structure %s without fields", datatype);
        Optional<StateMetadata> existing = metadata(state, space, name);
        Map<String, ByteString> existingFields = new LinkedHashMap<>();
        for (String field : existing.<List<String>>map(StateMetadata::getFieldsList).orElse(List.of())) {
            String key = fieldKey(space, name, field);
            existingFields.put(key, state.get(key).orElse(ByteString.EMPTY));
        }
        for (Field field : fields) {
            String key = fieldKey(space, name, field.name());
            ByteString encoded = field.value().toByteString();
            ByteString old = existingFields.remove(key);
            if (old == null || !old.equals(encoded)) {
                state.put(key, encoded);
            }
        }
        List<String> names = fields.stream().map(Field::name).toList();
        boolean metadataStale = existing.isEmpty() || !existingFields.isEmpty()
                || !existing.get().getDatatype().equals(datatype) || existing.get().getFieldsCount() != fields.size();
        if (metadataStale) {
            state.put(metadataKey(space, name),
                    StateMetadata.newBuilder().setDatatype(datatype).addAllFields(names).build().toByteString());
        }
        for (String stale : existingFields.keySet()) {
            state.delete(stale);
        }
    }

    /** Fabric's {@code IsSerialized}: the stored metadata and every field equal the structure's. */
    static boolean isSerialized(LifecycleState state, String space, String name, String datatype, List<Field> fields) {
        ByteString expectedMetadata = StateMetadata.newBuilder().setDatatype(datatype)
                .addAllFields(fields.stream().map(Field::name).toList()).build().toByteString();
        // Read every key first, as Fabric reads every hash first: the read set is the same whatever matches.
        Optional<ByteString> metadata = state.get(metadataKey(space, name));
        boolean matches = metadata.isPresent() && metadata.get().equals(expectedMetadata);
        for (Field field : fields) {
            Optional<ByteString> stored = state.get(fieldKey(space, name, field.name()));
            matches &= stored.isPresent() && stored.get().equals(field.value().toByteString());
        }
        return matches;
    }

    /** The metadata of a structure, empty when it was never written. */
    static Optional<StateMetadata> metadata(LifecycleState state, String space, String name) {
        Optional<ByteString> bytes = state.get(metadataKey(space, name));
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(StateMetadata.parseFrom(bytes.get()));
        } catch (InvalidProtocolBufferException e) {
            throw new LifecycleException("could not unmarshal metadata for namespace " + space + "/" + name
                    + ": " + e.getMessage(), e);
        }
    }

    /** A field's value; a missing key reads as an unset {@code StateData}, as in Fabric. */
    static StateData field(LifecycleState state, String space, String name, String field) {
        String key = fieldKey(space, name, field);
        try {
            return StateData.parseFrom(state.get(key).orElse(ByteString.EMPTY));
        } catch (InvalidProtocolBufferException e) {
            throw new LifecycleException("could not unmarshal state for key " + key + ": " + e.getMessage(), e);
        }
    }

    static long int64(LifecycleState state, String space, String name, String field) {
        StateData value = field(state, space, name, field);
        return switch (value.getTypeCase()) {
            case TYPE_NOT_SET -> 0;
            case INT64 -> value.getInt64();
            default -> throw new LifecycleException("expected key " + fieldKey(space, name, field)
                    + " to encode a value of type Int64, but was " + value.getTypeCase());
        };
    }

    static ByteString bytes(LifecycleState state, String space, String name, String field) {
        StateData value = field(state, space, name, field);
        return switch (value.getTypeCase()) {
            case TYPE_NOT_SET -> ByteString.EMPTY;
            case BYTES -> value.getBytes();
            default -> throw new LifecycleException("expected key " + fieldKey(space, name, field)
                    + " to encode a value of type []byte, but was " + value.getTypeCase());
        };
    }

    static String string(LifecycleState state, String space, String name, String field) {
        StateData value = field(state, space, name, field);
        return switch (value.getTypeCase()) {
            case TYPE_NOT_SET -> "";
            case STRING -> value.getString();
            default -> throw new LifecycleException("expected key " + fieldKey(space, name, field)
                    + " to encode a value of type String, but was " + value.getTypeCase());
        };
    }

    /** The names of every structure stored in {@code space}, sorted (Fabric's {@code DeserializeAllMetadata}). */
    static List<String> names(LifecycleState state, String space) {
        String prefix = space + "/" + METADATA_INFIX + "/";
        // '0' follows '/' in every encoding: [prefix, space/metadata0) holds exactly the keys under prefix.
        List<String> keys = state.keys(prefix, space + "/" + METADATA_INFIX + "0");
        return keys.stream().map(key -> key.substring(prefix.length())).toList();
    }
}
