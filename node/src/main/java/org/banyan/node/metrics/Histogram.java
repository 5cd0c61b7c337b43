package org.banyan.node.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Observations counted into buckets (Prometheus {@code histogram}): {@code _bucket{le="b"}} is the number of
 * observations {@code <= b}, cumulative, ending with {@code le="+Inf"}; then {@code _sum} and {@code _count}. Name a
 * duration {@code ..._seconds} and observe seconds.
 *
 * <p>An observation adds to one non-cumulative slot (lock-free); a scrape sums the slots into the cumulative buckets
 * and takes {@code _count} from the same reads, so {@code +Inf} always equals {@code _count} and the buckets never
 * decrease within a scrape, even while observations arrive. {@code _sum} is read separately and may include an
 * observation the buckets do not yet show.
 */
public final class Histogram extends Metric<Histogram.Series> {
    /** Latencies from 1 ms to 10 s: endorsements, block commits, gateway calls. */
    public static final List<Double> LATENCY_BUCKETS_SECONDS = List.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
            0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);
    /** Buckets of an upper bound each at most. */
    public static final int BUCKETS_MAX = 64;

    /** Upper bounds, strictly increasing, finite ({@code +Inf} is implicit). */
    private final double[] bounds;

    Histogram(String name, String help, int seriesMax, List<Double> buckets, String... labelNames) {
        super(name, help, seriesMax, labelNames);
        if (labelNames().contains("le")) {
            throw new IllegalArgumentException(name + ": a histogram cannot have a label named le");
        }
        this.bounds = bounds(name, buckets);
    }

    private static double[] bounds(String name, List<Double> buckets) {
        // + 0.0 turns -0.0 into 0.0: the binary search orders -0.0 below 0.0, but le compares numerically.
        double[] bounds = buckets.stream().mapToDouble(b -> b + 0.0)
                .filter(b -> b != Double.POSITIVE_INFINITY).toArray();
        if (bounds.length > BUCKETS_MAX) {
            throw new IllegalArgumentException(name + ": " + bounds.length + " buckets, more than " + BUCKETS_MAX);
        }
        for (int i = 0; i < bounds.length; i++) {
            if (!Double.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
                throw new IllegalArgumentException(name + ": bucket bounds must be finite and strictly increasing: "
                        + buckets);
            }
        }
        return bounds;
    }

    /** One combination of label values. */
    public final class Series {
        /** Observations per slot: slot i holds those in (bounds[i-1], bounds[i]]; the last, those above all. */
        private final LongAdder[] slots = new LongAdder[bounds.length + 1];
        private final DoubleAdder sum = new DoubleAdder();

        private Series() {
            Arrays.setAll(slots, i -> new LongAdder());
        }

        /** @throws IllegalArgumentException for NaN (it belongs in no bucket) */
        public void observe(double value) {
            if (Double.isNaN(value)) {
                throw new IllegalArgumentException(name() + ": cannot observe NaN");
            }
            slots[slot(value)].increment();
            sum.add(value);
        }

        /** Cumulative counts per bound, then the count of every observation (the {@code +Inf} bucket). */
        public long[] cumulativeCounts() {
            long[] counts = new long[slots.length];
            long total = 0;
            for (int i = 0; i < slots.length; i++) {
                total += slots[i].sum();
                counts[i] = total;
            }
            return counts;
        }

        public double sum() {
            return sum.sum();
        }
    }

    /** The slot of a value: the first bound {@code >= value} (Prometheus' {@code le} is inclusive). */
    private int slot(double value) {
        int at = Arrays.binarySearch(bounds, value);
        return at >= 0 ? at : -at - 1;
    }

    @Override
    Series newSeries() {
        return new Series();
    }

    @Override
    String type() {
        return "histogram";
    }

    @Override
    void appendSeries(StringBuilder out, List<String> labelValues, Series series) {
        long[] counts = series.cumulativeCounts();
        String bucket = name() + "_bucket";
        for (int i = 0; i < counts.length; i++) {
            String le = i < bounds.length ? Exposition.formatDouble(bounds[i]) : "+Inf";
            Exposition.appendSample(out, bucket, labelNames(), labelValues, "le", le, Long.toString(counts[i]));
        }
        Exposition.appendSample(out, name() + "_sum", labelNames(), labelValues, null, null,
                Exposition.formatDouble(series.sum()));
        Exposition.appendSample(out, name() + "_count", labelNames(), labelValues, null, null,
                Long.toString(counts[counts.length - 1]));
    }
}
