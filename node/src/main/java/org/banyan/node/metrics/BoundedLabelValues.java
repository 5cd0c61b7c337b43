package org.banyan.node.metrics;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Folds label values from an unbounded source (chaincode names a client sends) into a bounded set: the first
 * {@code valuesMax} distinct values are kept as they are, every later new value becomes {@code overflow} (such as
 * {@code "other"}). So a metric labelled with it has at most {@code valuesMax + 1} values of that label, however many
 * names clients make up. Thread-safe.
 */
public final class BoundedLabelValues {
    private final int valuesMax;
    private final String overflow;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger slotsTaken = new AtomicInteger();

    public BoundedLabelValues(int valuesMax, String overflow) {
        if (valuesMax < 0) {
            throw new IllegalArgumentException("valuesMax " + valuesMax + " < 0");
        }
        this.valuesMax = valuesMax;
        this.overflow = Objects.requireNonNull(overflow, "overflow");
    }

    /** {@code value} if it is already admitted or there is room for it, else the overflow value. */
    public String of(String value) {
        if (admitted.contains(value)) {
            return value;
        }
        if (value.equals(overflow)) {
            return overflow;
        }
        // A slot is reserved before the value goes in, so racing callers never admit more than valuesMax.
        if (slotsTaken.incrementAndGet() <= valuesMax) {
            if (!admitted.add(value)) {
                slotsTaken.decrementAndGet(); // another caller admitted the same value meanwhile
            }
            return value;
        }
        slotsTaken.decrementAndGet();
        return ifAdmitted(value);
    }

    /** {@code value} if it was admitted, else the overflow value; admits nothing. */
    public String ifAdmitted(String value) {
        return admitted.contains(value) ? value : overflow;
    }
}
