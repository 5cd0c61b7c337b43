package org.banyan.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {
    private final MetricsRegistry registry = new MetricsRegistry(100);

    @Test
    void countersAreWrittenWithHelpTypeAndLabelsAndReadBack() {
        Counter txs = registry.counter("banyan_transactions_total", "Transactions committed.", "channel", "code");
        txs.labels("ch1", "VALID").add(3);
        txs.labels("ch1", "VALID").increment();
        txs.labels("ch2", "MVCC_READ_CONFLICT").increment();
        Counter unlabelled = registry.counter("banyan_things_total", "Things.");

        String text = registry.scrape();
        Scrape scrape = Scrape.parse(text);

        assertThat(scrape.type("banyan_transactions_total")).isEqualTo("counter");
        assertThat(scrape.help("banyan_transactions_total")).isEqualTo("Transactions committed.");
        assertThat(scrape.value("banyan_transactions_total", "channel", "ch1", "code", "VALID")).isEqualTo(4);
        assertThat(scrape.value("banyan_transactions_total", "channel", "ch2", "code", "MVCC_READ_CONFLICT"))
                .isEqualTo(1);
        assertThat(scrape.value("banyan_things_total")).as("an unlabelled counter shows 0 at once").isZero();
        assertThat(unlabelled.labels().value()).isZero();
        assertThat(text).contains("banyan_transactions_total{channel=\"ch1\",code=\"VALID\"} 4\n");
        assertThat(text.indexOf("banyan_transactions_total")).as("registration order")
                .isLessThan(text.indexOf("banyan_things_total"));
    }

    @Test
    void labelValuesAndHelpAreEscapedAsTheFormatRequires() {
        Counter counter = registry.counter("banyan_odd_total", "Back\\slash and\nnewline \"quoted\".", "name");
        String odd = "a\\b\"c\nd é {x=\"y\"},";
        counter.labels(odd).increment();

        String text = registry.scrape();

        assertThat(text).contains("# HELP banyan_odd_total Back\\\\slash and\\nnewline \"quoted\".\n");
        assertThat(text).contains("banyan_odd_total{name=\"a\\\\b\\\"c\\nd é {x=\\\"y\\\"},\"} 1\n");
        Scrape scrape = Scrape.parse(text);
        assertThat(scrape.value("banyan_odd_total", "name", odd)).isEqualTo(1);
        assertThat(scrape.help("banyan_odd_total")).isEqualTo("Back\\slash and\nnewline \"quoted\".");
    }

    @Test
    void histogramBucketsAreCumulativeAndEndWithInfEqualToCount() {
        Histogram latency = registry.histogram("banyan_latency_seconds", "Latency.", List.of(0.01, 0.1, 1.0),
                "channel");
        Histogram.Series series = latency.labels("ch");
        for (double seconds : new double[] {0.005, 0.01, 0.05, 0.5, 0.5, 2.0, 100.0}) {
            series.observe(seconds);
        }

        String text = registry.scrape();
        Scrape scrape = Scrape.parse(text);

        assertThat(scrape.type("banyan_latency_seconds")).isEqualTo("histogram");
        assertThat(scrape.value("banyan_latency_seconds_bucket", "channel", "ch", "le", "0.01"))
                .as("le is inclusive").isEqualTo(2);
        assertThat(scrape.value("banyan_latency_seconds_bucket", "channel", "ch", "le", "0.1")).isEqualTo(3);
        assertThat(scrape.value("banyan_latency_seconds_bucket", "channel", "ch", "le", "1")).isEqualTo(5);
        assertThat(scrape.value("banyan_latency_seconds_bucket", "channel", "ch", "le", "+Inf")).isEqualTo(7);
        assertThat(scrape.value("banyan_latency_seconds_count", "channel", "ch")).isEqualTo(7);
        assertThat(scrape.value("banyan_latency_seconds_sum", "channel", "ch")).isCloseTo(103.065,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(text).contains("banyan_latency_seconds_bucket{channel=\"ch\",le=\"+Inf\"} 7\n");
    }

    @Test
    void gaugesReadTheirCallbackAtEachScrapeAndShowNothingWithoutOne() {
        Gauge height = registry.gauge("banyan_ledger_height", "Height.", "channel");
        AtomicLong ledger = new AtomicLong(1);
        height.labels("ch").readFrom(ledger::get);
        height.labels("unset");

        assertThat(Scrape.parse(registry.scrape()).value("banyan_ledger_height", "channel", "ch")).isEqualTo(1);
        ledger.set(42);
        Scrape later = Scrape.parse(registry.scrape());
        assertThat(later.value("banyan_ledger_height", "channel", "ch")).isEqualTo(42);
        assertThat(later.find("banyan_ledger_height", "channel", "unset")).isEmpty();
    }

    @Test
    void aMetricRefusesMoreLabelCombinationsThanItsMaximum() {
        MetricsRegistry small = new MetricsRegistry(3);
        Counter counter = small.counter("banyan_calls_total", "Calls.", "chaincode");
        for (String name : List.of("a", "b", "c")) {
            counter.labels(name).increment();
        }

        assertThatThrownBy(() -> counter.labels("d")).isInstanceOf(SeriesLimitException.class)
                .hasMessageContaining("banyan_calls_total").hasMessageContaining("3 label combinations")
                .hasMessageContaining("[d]");
        counter.labels("a").increment(); // the existing ones go on
        assertThat(Scrape.parse(small.scrape()).samples()).hasSize(3);
        assertThat(counter.labels("a").value()).isEqualTo(2);
    }

    @Test
    void registrationChecksNamesLabelsAndBuckets() {
        registry.counter("banyan_a_total", "A.");
        assertThatThrownBy(() -> registry.counter("banyan_a_total", "Again.")).hasMessageContaining("already");
        assertThatThrownBy(() -> registry.counter("banyan-b", "B.")).hasMessageContaining("not a Prometheus");
        assertThatThrownBy(() -> registry.counter("banyan_c_total", "C.", "__reserved"))
                .hasMessageContaining("not a label name");
        assertThatThrownBy(() -> registry.counter("banyan_d_total", "D.", "x", "x")).hasMessageContaining("repeat");
        assertThatThrownBy(() -> registry.histogram("banyan_e_seconds", "E.", List.of(1.0), "le"))
                .hasMessageContaining("le");
        assertThatThrownBy(() -> registry.histogram("banyan_f_seconds", "F.", List.of(1.0, 0.5)))
                .hasMessageContaining("strictly increasing");
        Counter counter = registry.counter("banyan_g_total", "G.", "x");
        assertThatThrownBy(() -> counter.labels("1", "2")).hasMessageContaining("given 2 values");
        assertThatThrownBy(() -> counter.labels("x".repeat(Metric.LABEL_VALUE_CHARS_MAX + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> counter.labels("1").add(-1)).hasMessageContaining("cannot go down");
        assertThatThrownBy(() -> registry.histogram("banyan_h_seconds", "H.", List.of(1.0)).labels().observe(
                Double.NaN)).hasMessageContaining("NaN");
    }

    @Test
    void numbersAreWrittenAsPrometheusReadsThem() {
        assertThat(Exposition.formatDouble(1.0)).isEqualTo("1");
        assertThat(Exposition.formatDouble(0.005)).isEqualTo("0.005");
        assertThat(Exposition.formatDouble(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(Exposition.formatDouble(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(Exposition.formatDouble(Double.NaN)).isEqualTo("NaN");
        assertThat(Double.parseDouble(Exposition.formatDouble(1e-7))).isEqualTo(1e-7);
        assertThat(Double.parseDouble(Exposition.formatDouble(1e300))).isEqualTo(1e300);
    }

    @Test
    void seriesAreListedInLabelOrderWhateverTheOrderOfUse() {
        Counter counter = registry.counter("banyan_sorted_total", "Sorted.", "x");
        for (String x : List.of("c", "a", "b")) {
            counter.labels(x).increment();
        }
        assertThat(Scrape.parse(registry.scrape()).samples()).extracting(s -> s.labels().get("x"))
                .containsExactly("a", "b", "c");
    }
}
