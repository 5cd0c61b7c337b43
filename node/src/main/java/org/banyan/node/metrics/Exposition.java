package org.banyan.node.metrics;

import java.util.List;

/**
 * Prometheus text exposition format 0.0.4, the pieces of one line: escaping, numbers, a sample line. Pure functions;
 * the format is specified at {@code https://prometheus.io/docs/instrumenting/exposition_formats/}.
 */
final class Exposition {
    /** What {@code GET /metrics} answers with. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private Exposition() {}

    /** A label value inside double quotes: backslash, double quote and line feed escaped, as the format requires. */
    static void appendLabelValue(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    /** HELP text: backslash and line feed escaped (a double quote stays as it is there). */
    static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /**
     * A sample value as Go's {@code strconv.ParseFloat} (Prometheus' parser) reads it: {@code +Inf}, {@code -Inf},
     * {@code NaN}, integers without a fraction (so {@code le="1"}, not {@code le="1.0"}), others in Java's shortest
     * round-trip form.
     */
    static String formatDouble(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        // Below 2^53 every integral double is exactly a long; beyond, Java's form keeps the exponent.
        if (value == Math.rint(value) && Math.abs(value) < 0x1p53) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /**
     * One sample line, {@code name{l1="v1",...,extra="x"} value}: the series' labels, then an optional extra label
     * (a histogram bucket's {@code le}; null for none).
     */
    static void appendSample(StringBuilder out, String name, List<String> labelNames, List<String> labelValues,
            String extraLabel, String extraValue, String value) {
        out.append(name);
        if (!labelNames.isEmpty() || extraLabel != null) {
            out.append('{');
            for (int i = 0; i < labelNames.size(); i++) {
                appendLabel(out, i > 0, labelNames.get(i), labelValues.get(i));
            }
            if (extraLabel != null) {
                appendLabel(out, !labelNames.isEmpty(), extraLabel, extraValue);
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    private static void appendLabel(StringBuilder out, boolean comma, String name, String value) {
        if (comma) {
            out.append(',');
        }
        out.append(name).append("=\"");
        appendLabelValue(out, value);
        out.append('"');
    }
}
