package org.banyan.node.metrics;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** A count that only goes up (Prometheus {@code counter}); name it {@code ..._total}. */
public final class Counter extends Metric<Counter.Series> {
    Counter(String name, String help, int seriesMax, String... labelNames) {
        super(name, help, seriesMax, labelNames);
        if (labelNames.length == 0) {
            labels(); // an unlabelled counter shows 0 before its first event
        }
    }

    /** One combination of label values; lock-free ({@link LongAdder}). */
    public static final class Series {
        private final LongAdder count = new LongAdder();

        public void increment() {
            count.increment();
        }

        /** @throws IllegalArgumentException for a negative amount (a counter never goes down) */
        public void add(long amount) {
            if (amount < 0) {
                throw new IllegalArgumentException("a counter cannot go down: " + amount);
            }
            count.add(amount);
        }

        public long value() {
            return count.sum();
        }
    }

    @Override
    Series newSeries() {
        return new Series();
    }

    @Override
    String type() {
        return "counter";
    }

    @Override
    void appendSeries(StringBuilder out, List<String> labelValues, Series series) {
        Exposition.appendSample(out, name(), labelNames(), labelValues, null, null, Long.toString(series.value()));
    }
}
