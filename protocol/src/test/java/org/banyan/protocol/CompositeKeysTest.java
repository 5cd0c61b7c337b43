package org.banyan.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class CompositeKeysTest {
    @Property
    void splitInvertsCreate(@ForAll @StringLength(max = 8) @CharRange(from = 'a', to = 'z') String type,
                            @ForAll @Size(max = 4) List<@StringLength(max = 6) @CharRange(from = '!', to = '~') String> attributes) {
        List<String> expected = new ArrayList<>();
        expected.add(type);
        expected.addAll(attributes);
        assertThat(CompositeKeys.split(CompositeKeys.create(type, attributes))).isEqualTo(expected);
    }

    @Test
    void matchesFabricEncoding() {
        assertThat(CompositeKeys.create("owner~asset", List.of("alice", "a1"))).isEqualTo("\u0000owner~asset\u0000alice\u0000a1\u0000");
    }

    @Test
    void partialRangeCoversEveryExtension() {
        String[] range = CompositeKeys.partialRange("asset", List.of("blue"));
        String inside = CompositeKeys.create("asset", List.of("blue", "zzz"));
        String outside = CompositeKeys.create("asset", List.of("bluer", "a"));
        assertThat(inside.compareTo(range[0]) >= 0 && inside.compareTo(range[1]) < 0).isTrue();
        assertThat(outside.compareTo(range[0]) >= 0 && outside.compareTo(range[1]) < 0).isFalse();
    }

    @Test
    void reservedCharactersAreRejected() {
        assertThatThrownBy(() -> CompositeKeys.create("a\u0000b", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompositeKeys.create("a", List.of(CompositeKeys.MAX_UNICODE_RUNE)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
