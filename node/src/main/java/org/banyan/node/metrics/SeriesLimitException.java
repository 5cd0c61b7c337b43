package org.banyan.node.metrics;

import java.util.List;

/**
 * A metric was asked for one more combination of label values than its maximum. The caller feeds a label from an
 * unbounded source; fold such values first ({@link BoundedLabelValues}).
 */
public final class SeriesLimitException extends IllegalStateException {
    SeriesLimitException(String metric, int seriesMax, List<String> labelNames, List<String> refused) {
        super("metric " + metric + " already has " + seriesMax + " label combinations, its maximum; refusing "
                + labelNames + " = " + refused);
    }
}
