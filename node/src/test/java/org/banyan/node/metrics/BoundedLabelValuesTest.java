package org.banyan.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BoundedLabelValuesTest {
    @Test
    void theFirstValuesAreKeptAndLaterOnesFolded() {
        BoundedLabelValues names = new BoundedLabelValues(2, "other");

        assertThat(List.of(names.of("a"), names.of("b"), names.of("c"), names.of("a"), names.of("other")))
                .containsExactly("a", "b", "other", "a", "other");
        assertThat(names.ifAdmitted("b")).isEqualTo("b");
        assertThat(names.ifAdmitted("z")).as("a lookup admits nothing").isEqualTo("other");
    }

    @Test
    void racingCallersNeverAdmitMoreThanTheMaximum() {
        BoundedLabelValues names = new BoundedLabelValues(10, "other");
        Set<String> seen = ConcurrentHashMap.newKeySet();

        IntStream.range(0, 10_000).parallel().forEach(i -> seen.add(names.of("n" + (i % 500))));

        assertThat(seen).hasSize(11).contains("other");
    }
}
