package org.banyan.node.metrics;

import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * A value read at scrape time from a callback (Prometheus {@code gauge}): the metric holds no copy that could go
 * stale, and the hot path pays nothing. The callback runs on the thread serving {@code /metrics}, so it must be
 * thread-safe and quick; an exception from it fails the scrape.
 */
public final class Gauge extends Metric<Gauge.Series> {
    Gauge(String name, String help, int seriesMax, String... labelNames) {
        super(name, help, seriesMax, labelNames);
    }

    /** One combination of label values; shows nothing until {@link #readFrom} gives it a callback. */
    public static final class Series {
        private volatile DoubleSupplier source;

        /** From now on the series shows what {@code source} answers at each scrape. */
        public void readFrom(DoubleSupplier source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        /** The current value, or NaN while there is no callback. */
        public double value() {
            DoubleSupplier current = source;
            return current == null ? Double.NaN : current.getAsDouble();
        }

        boolean hasSource() {
            return source != null;
        }
    }

    @Override
    Series newSeries() {
        return new Series();
    }

    @Override
    String type() {
        return "gauge";
    }

    @Override
    void appendSeries(StringBuilder out, List<String> labelValues, Series series) {
        if (series.hasSource()) {
            Exposition.appendSample(out, name(), labelNames(), labelValues, null, null,
                    Exposition.formatDouble(series.value()));
        }
    }
}
