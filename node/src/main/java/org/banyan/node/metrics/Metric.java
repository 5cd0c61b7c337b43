package org.banyan.node.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One metric family: a name, its help, its label names, and one series per combination of label values — at most
 * {@code seriesMax} of them. Past that, {@link #labels} throws {@link SeriesLimitException}: a label fed by values
 * from outside (chaincode names, channel names in requests) would otherwise grow the registry without end, so the
 * caller folds such values first ({@link BoundedLabelValues}) and the limit catches a caller that did not.
 *
 * <p>Thread-safe: {@link #labels} is a lock-free map read once the series exists; cache the series returned on a hot
 * path to skip even that.
 *
 * @param <S> the series type
 */
public abstract sealed class Metric<S> permits Counter, Gauge, Histogram {
    /** Characters of one label value at most (a label value is meant to be a short name). */
    public static final int LABEL_VALUE_CHARS_MAX = 256;
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Comparator<List<String>> BY_LABEL_VALUES = (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
            int order = a.get(i).compareTo(b.get(i));
            if (order != 0) {
                return order;
            }
        }
        return 0;
    };

    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final int seriesMax;
    private final Map<List<String>, S> series = new ConcurrentHashMap<>();
    /** Series created or being created; never above {@link #seriesMax} (no series is ever removed). */
    private final AtomicInteger seriesCount = new AtomicInteger();

    Metric(String name, String help, int seriesMax, String... labelNames) {
        if (!METRIC_NAME.matcher(Objects.requireNonNull(name, "name")).matches()) {
            throw new IllegalArgumentException("not a Prometheus metric name: '" + name + "'");
        }
        this.name = name;
        this.help = Objects.requireNonNull(help, "help");
        this.labelNames = List.of(labelNames);
        for (String label : this.labelNames) {
            if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                throw new IllegalArgumentException(name + ": not a label name: '" + label + "'");
            }
        }
        if (this.labelNames.stream().distinct().count() != this.labelNames.size()) {
            throw new IllegalArgumentException(name + ": label names repeat: " + this.labelNames);
        }
        if (seriesMax < 1) {
            throw new IllegalArgumentException(name + ": seriesMax " + seriesMax + " < 1");
        }
        this.seriesMax = seriesMax;
    }

    public final String name() {
        return name;
    }

    public final List<String> labelNames() {
        return labelNames;
    }

    /**
     * The series of these label values (in {@link #labelNames} order), created on first use.
     *
     * @throws IllegalArgumentException for a wrong number of values, a null value or one longer than
     *     {@value #LABEL_VALUE_CHARS_MAX} characters
     * @throws SeriesLimitException when this would be the metric's {@code seriesMax + 1}-th series
     */
    public final S labels(String... values) {
        List<String> key = key(values);
        S existing = series.get(key);
        return existing != null ? existing : series.computeIfAbsent(key, k -> {
            if (seriesCount.incrementAndGet() > seriesMax) {
                seriesCount.decrementAndGet();
                throw new SeriesLimitException(name, seriesMax, labelNames, k);
            }
            return newSeries();
        });
    }

    private List<String> key(String[] values) {
        if (values.length != labelNames.size()) {
            throw new IllegalArgumentException(name + " has labels " + labelNames + ", given " + values.length
                    + " values: " + Arrays.toString(values));
        }
        for (String value : values) {
            if (value == null || value.length() > LABEL_VALUE_CHARS_MAX) {
                throw new IllegalArgumentException(name + ": label value null or longer than "
                        + LABEL_VALUE_CHARS_MAX + " characters");
            }
        }
        return List.of(values);
    }

    /** A new, empty series. */
    abstract S newSeries();

    /** The TYPE word of the family: {@code counter}, {@code gauge}, {@code histogram}. */
    abstract String type();

    /** Appends the sample lines of one series; nothing for a series that has no value (a gauge not yet read). */
    abstract void appendSeries(StringBuilder out, List<String> labelValues, S series);

    /** HELP, TYPE, then every series ordered by its label values (so two scrapes list them alike). */
    final void appendTo(StringBuilder out) {
        out.append("# HELP ").append(name).append(' ').append(Exposition.escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type()).append('\n');
        List<Map.Entry<List<String>, S>> sorted = new ArrayList<>(series.entrySet());
        sorted.sort(Map.Entry.comparingByKey(BY_LABEL_VALUES));
        for (Map.Entry<List<String>, S> entry : sorted) {
            appendSeries(out, entry.getKey(), entry.getValue());
        }
    }
}
