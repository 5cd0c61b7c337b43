package org.banyan.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;

/** The exposition read back equals what was recorded: label values of any characters, any observations. */
class MetricsRegistryProperties {
    @Property
    void anyLabelValuesAndHelpRoundTrip(
            @ForAll @Size(max = 20) @UniqueElements List<@From("labelValues") String> values,
            @ForAll("labelValues") String help) {
        MetricsRegistry registry = new MetricsRegistry(100);
        Counter counter = registry.counter("banyan_values_total", help, "value");
        for (int i = 0; i < values.size(); i++) {
            counter.labels(values.get(i)).add(i + 1);
        }

        Scrape scrape = Scrape.parse(registry.scrape());

        assertThat(scrape.help("banyan_values_total")).isEqualTo(help);
        assertThat(scrape.samples()).hasSize(values.size());
        for (int i = 0; i < values.size(); i++) {
            assertThat(scrape.value("banyan_values_total", "value", values.get(i))).isEqualTo(i + 1);
        }
    }

    @Property
    void histogramBucketsCountLikeAReference(
            @ForAll @Size(max = 200) List<@DoubleRange(min = -5, max = 20) Double> observations,
            @ForAll @Size(max = 10) @UniqueElements List<@DoubleRange(min = -5, max = 20) Double> bounds) {
        List<Double> sorted = bounds.stream().map(b -> b + 0.0).distinct().sorted().toList(); // -0.0 is 0.0
        MetricsRegistry registry = new MetricsRegistry(1);
        Histogram.Series series = registry.histogram("banyan_x_seconds", "X.", sorted).labels();
        observations.forEach(series::observe);

        Scrape scrape = Scrape.parse(registry.scrape());

        List<Double> buckets = new ArrayList<>();
        for (Double bound : sorted) {
            long reference = observations.stream().filter(o -> o <= bound).count();
            double shown = scrape.value("banyan_x_seconds_bucket", "le", Exposition.formatDouble(bound));
            assertThat(shown).as("le=%s", bound).isEqualTo(reference);
            buckets.add(shown);
        }
        assertThat(buckets).isSorted();
        assertThat(scrape.value("banyan_x_seconds_bucket", "le", "+Inf")).isEqualTo(observations.size());
        assertThat(scrape.value("banyan_x_seconds_count")).isEqualTo(observations.size());
        assertThat(scrape.value("banyan_x_seconds_sum")).isCloseTo(
                observations.stream().mapToDouble(Double::doubleValue).sum(),
                org.assertj.core.data.Offset.offset(1e-6));
    }

    @Provide
    Arbitrary<String> labelValues() {
        // Printable ASCII (quotes, braces, commas, equals signs, backslashes) plus line feed, tab and non-ASCII.
        return Arbitraries.strings().withCharRange(' ', '~').withChars('\n', '\t', 'é', '\u2603').ofMaxLength(40);
    }
}
