package org.banyan.ledger.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.peer.lifecycle.StateMetadata;
import org.junit.jupiter.api.Test;

/** Fabric's serializer semantics: only changed keys are written, stale fields deleted, comparisons by bytes. */
class StateSerializerTest {
    /** A map-backed state that records writes and deletes. */
    static final class MapState implements LifecycleState {
        final TreeMap<String, ByteString> values = new TreeMap<>();
        final TreeMap<String, ByteString> written = new TreeMap<>();

        @Override
        public Optional<ByteString> get(String key) {
            return Optional.ofNullable(values.get(key));
        }

        @Override
        public void put(String key, ByteString value) {
            written.put(key, value);
        }

        @Override
        public void delete(String key) {
            written.put(key, ByteString.EMPTY);
        }

        @Override
        public List<String> keys(String startKey, String endKey) {
            return List.copyOf(values.subMap(startKey, endKey).keySet());
        }

        void apply() {
            written.forEach((k, v) -> {
                if (v.isEmpty()) {
                    values.remove(k);
                } else {
                    values.put(k, v);
                }
            });
            written.clear();
        }
    }

    private static final List<StateSerializer.Field> TWO = List.of(StateSerializer.Field.int64("A", 1),
            StateSerializer.Field.string("B", "b"));

    @Test
    void writesOnlyWhatChanged() {
        MapState state = new MapState();
        StateSerializer.serialize(state, "ns", "x", "T", TWO);
        assertThat(state.written).containsOnlyKeys("ns/metadata/x", "ns/fields/x/A", "ns/fields/x/B");
        state.apply();

        StateSerializer.serialize(state, "ns", "x", "T", TWO);
        assertThat(state.written).isEmpty();
        assertThat(StateSerializer.isSerialized(state, "ns", "x", "T", TWO)).isTrue();

        List<StateSerializer.Field> changed = List.of(StateSerializer.Field.int64("A", 2),
                StateSerializer.Field.string("B", "b"));
        assertThat(StateSerializer.isSerialized(state, "ns", "x", "T", changed)).isFalse();
        StateSerializer.serialize(state, "ns", "x", "T", changed);
        assertThat(state.written).containsOnlyKeys("ns/fields/x/A");
        state.apply();
        assertThat(StateSerializer.int64(state, "ns", "x", "A")).isEqualTo(2);
    }

    @Test
    void aStructureWithFewerFieldsDeletesTheRest() throws Exception {
        MapState state = new MapState();
        StateSerializer.serialize(state, "ns", "x", "T", TWO);
        state.apply();
        StateSerializer.serialize(state, "ns", "x", "U", List.of(StateSerializer.Field.int64("A", 1)));
        assertThat(state.written).containsOnlyKeys("ns/metadata/x", "ns/fields/x/B");
        assertThat(state.written.get("ns/fields/x/B")).isEmpty();
        state.apply();
        assertThat(StateMetadata.parseFrom(state.values.get("ns/metadata/x")).getFieldsList()).containsExactly("A");
        assertThat(StateSerializer.names(state, "ns")).containsExactly("x");
        assertThat(StateSerializer.string(state, "ns", "absent", "B")).isEmpty();
        assertThat(LifecycleDefinitions.definitionName("namespaces/fields/cc/Sequence")).contains("cc");
        assertThat(LifecycleDefinitions.definitionName("namespaces/metadata/cc")).contains("cc");
        assertThat(LifecycleDefinitions.definitionName("_implicit_org_Org1MSP/namespaces/metadata/cc#1")).isEmpty();
    }
}
