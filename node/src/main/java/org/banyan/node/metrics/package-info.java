/**
 * The node's metrics in Prometheus text exposition format 0.0.4, served at {@code GET /metrics} on the operations
 * endpoint. A small registry of its own (no client library): counters, histograms and callback gauges with bounded
 * label sets.
 *
 * <p><b>Use.</b> One {@link org.banyan.node.metrics.MetricsRegistry} per node ({@link
 * org.banyan.node.metrics.NodeMetrics#registry()}); register each metric once, at start, and keep the object:
 *
 * <pre>{@code
 * Histogram latency = registry.histogram("banyan_gateway_submit_duration_seconds",
 *         "Time to submit a transaction through the gateway.", Histogram.LATENCY_BUCKETS_SECONDS,
 *         "channel", "status");
 * Counter calls = registry.counter("banyan_gateway_calls_total", "Gateway calls.", "channel", "method");
 * Gauge pending = registry.gauge("banyan_gateway_pending", "Submissions waiting for commit.", "channel");
 *
 * long startNanos = System.nanoTime();
 * ...
 * latency.labels(metrics.channelLabel(channelId), "ok").observe((System.nanoTime() - startNanos) / 1e9);
 * calls.labels(metrics.channelLabel(channelId), "Submit").increment();
 * pending.labels(channelId).readFrom(() -> queue.size());   // read at each scrape
 * }</pre>
 *
 * <p><b>Names.</b> {@code banyan_} prefix, the unit last ({@code _seconds}, {@code _bytes}), counters end in
 * {@code _total}; durations are observed in seconds. Label names are fixed at registration; {@code labels(values)}
 * takes the values in the same order.
 *
 * <p><b>Limits.</b> A metric has at most {@link org.banyan.node.metrics.MetricsRegistry#seriesPerMetricMax()} label
 * combinations; one more throws {@link org.banyan.node.metrics.SeriesLimitException} instead of growing without
 * end. A label value that comes from a client (channel or chaincode name in a request) must be folded first:
 * {@link org.banyan.node.metrics.NodeMetrics#channelLabel}, {@link org.banyan.node.metrics.NodeMetrics#chaincodeLabel}
 * or a {@link org.banyan.node.metrics.BoundedLabelValues} of your own. Label values are at most
 * {@value org.banyan.node.metrics.Metric#LABEL_VALUE_CHARS_MAX} characters; a registry holds at most
 * {@value org.banyan.node.metrics.MetricsRegistry#METRICS_MAX} metrics.
 *
 * <p><b>Cost.</b> Counting and observing are lock-free ({@code LongAdder}, {@code DoubleAdder}); {@code labels}
 * is one concurrent-map read once the series exists (keep the series for a fixed label set). Gauges cost nothing
 * until a scrape runs their callbacks on the operations thread. A scrape writes every series, sorted.
 */
package org.banyan.node.metrics;
