package org.banyan.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.banyan.ledger.storage.StorageException;
import org.junit.jupiter.api.Test;

class VersionedValueCodecTest {
    @Property(tries = 500)
    void decodeInvertsEncode(@ForAll("values") VersionedValue value) {
        assertThat(VersionedValueCodec.decode(VersionedValueCodec.encode(value), "test")).isEqualTo(value);
    }

    @Property(tries = 300)
    void everyTruncationIsCorruption(@ForAll("values") VersionedValue value) {
        byte[] encoded = VersionedValueCodec.encode(value);
        for (int length = 0; length < encoded.length; length++) {
            byte[] truncated = java.util.Arrays.copyOf(encoded, length);
            assertThatThrownBy(() -> VersionedValueCodec.decode(truncated, "test")).isInstanceOf(StorageException.class);
        }
    }

    @Test
    void encodingIsCompactAndVersioned() {
        VersionedValue value = new VersionedValue(ByteString.copyFromUtf8("v"), new Version(5, 2), new TreeMap<>());
        assertThat(VersionedValueCodec.encode(value)).containsExactly(1, 5, 2, 1, 'v', 0);
        byte[] future = {2, 5, 2, 1, 'v', 0};
        assertThatThrownBy(() -> VersionedValueCodec.decode(future, "k")).isInstanceOf(StorageException.class)
                .hasMessageContaining("unknown format 2");
        byte[] trailing = {1, 5, 2, 1, 'v', 0, 9};
        assertThatThrownBy(() -> VersionedValueCodec.decode(trailing, "k")).hasMessageContaining("trailing");
    }

    @Test
    void metadataNamesOutOfOrderAreCorruption() {
        byte[] swapped = {1, 0, 0, 0, 2, 1, 'b', 0, 1, 'a', 0};
        assertThatThrownBy(() -> VersionedValueCodec.decode(swapped, "k")).hasMessageContaining("out of order");
    }

    @Provide
    Arbitrary<VersionedValue> values() {
        Arbitrary<ByteString> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(ByteString::copyFrom);
        Arbitrary<Version> versions = Combinators.combine(Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.integers().greaterOrEqual(0)).as(Version::new);
        Arbitrary<Map<String, ByteString>> metadata = Arbitraries.maps(
                Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(20), bytes).ofMaxSize(4);
        return Combinators.combine(bytes, versions, metadata)
                .as((value, version, meta) -> new VersionedValue(value, version, new TreeMap<>(meta)));
    }
}
