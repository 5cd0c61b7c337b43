package org.banyan.node.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The metrics of one node, written in Prometheus text format 0.0.4 by {@link #scrape}. One registry per node (never
 * a static one: tests run several nodes in one JVM). Every metric has at most {@link #seriesPerMetricMax()} label
 * combinations, and the registry at most {@value #METRICS_MAX} metrics. Thread-safe; see {@code package-info} for
 * the use.
 */
public final class MetricsRegistry {
    /** Metrics per registry at most. */
    public static final int METRICS_MAX = 1_000;
    /** What {@code GET /metrics} answers with. */
    public static final String CONTENT_TYPE = Exposition.CONTENT_TYPE;

    private final int seriesPerMetricMax;
    /** In registration order, which is the order of the scrape. */
    private final List<Metric<?>> metrics = new CopyOnWriteArrayList<>();
    private final Map<String, Metric<?>> byName = new ConcurrentHashMap<>();
    private final AtomicInteger metricCount = new AtomicInteger();

    /** @param seriesPerMetricMax label combinations per metric at most ({@link SeriesLimitException} beyond) */
    public MetricsRegistry(int seriesPerMetricMax) {
        if (seriesPerMetricMax < 1) {
            throw new IllegalArgumentException("seriesPerMetricMax " + seriesPerMetricMax + " < 1");
        }
        this.seriesPerMetricMax = seriesPerMetricMax;
    }

    public int seriesPerMetricMax() {
        return seriesPerMetricMax;
    }

    /**
     * A counter; name it {@code ..._total}.
     *
     * @throws IllegalArgumentException for a name taken or not a Prometheus name, bad label names
     */
    public Counter counter(String name, String help, String... labelNames) {
        return register(new Counter(name, help, seriesPerMetricMax, labelNames));
    }

    /** A histogram with these bucket upper bounds (in the unit its name ends with; {@code +Inf} is added). */
    public Histogram histogram(String name, String help, List<Double> buckets, String... labelNames) {
        return register(new Histogram(name, help, seriesPerMetricMax, buckets, labelNames));
    }

    /** A gauge whose series read their value from a callback at each scrape ({@link Gauge.Series#readFrom}). */
    public Gauge gauge(String name, String help, String... labelNames) {
        return register(new Gauge(name, help, seriesPerMetricMax, labelNames));
    }

    private <M extends Metric<?>> M register(M metric) {
        if (metricCount.incrementAndGet() > METRICS_MAX) {
            metricCount.decrementAndGet();
            throw new IllegalStateException("a registry holds " + METRICS_MAX + " metrics at most; refusing "
                    + metric.name());
        }
        if (byName.putIfAbsent(metric.name(), metric) != null) {
            metricCount.decrementAndGet();
            throw new IllegalArgumentException("a metric named " + metric.name() + " is already registered");
        }
        metrics.add(metric);
        return metric;
    }

    /**
     * Every metric in text format 0.0.4, in registration order. Runs the gauges' callbacks; an exception of one
     * propagates.
     */
    public String scrape() {
        StringBuilder out = new StringBuilder(4096);
        for (Metric<?> metric : metrics) {
            metric.appendTo(out);
        }
        return out.toString();
    }
}
