package org.banyan.node.ordering;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What an {@link EnvelopeValidator} decided, for metrics and tests. Thread-safe. Each verdict is counted when it
 * is computed — once per distinct payload while it stays cached — except {@link EnvelopeVerdict#ALREADY_ORDERED},
 * counted on every call that finds the tx id on the ledger.
 */
public final class ValidatorCounters {
    private final Map<EnvelopeVerdict, LongAdder> verdicts = new EnumMap<>(EnvelopeVerdict.class);
    private final LongAdder checksRun = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();

    ValidatorCounters() {
        for (EnvelopeVerdict verdict : EnvelopeVerdict.values()) {
            verdicts.put(verdict, new LongAdder());
        }
    }

    void counted(EnvelopeVerdict verdict) {
        verdicts.get(verdict).increment();
    }

    void checkRun() {
        checksRun.increment();
    }

    void cacheHit() {
        cacheHits.increment();
    }

    /** Payloads given this verdict (see the class comment for ALREADY_ORDERED). */
    public long count(EnvelopeVerdict verdict) {
        return verdicts.get(verdict).sum();
    }

    /** Every verdict's count, in declaration order. */
    public Map<EnvelopeVerdict, Long> counts() {
        Map<EnvelopeVerdict, Long> out = new EnumMap<>(EnvelopeVerdict.class);
        verdicts.forEach((verdict, adder) -> out.put(verdict, adder.sum()));
        return out;
    }

    /** Full checks run (cache misses): each parses the envelope and verifies at most one signature. */
    public long checksRun() {
        return checksRun.sum();
    }

    /** Calls answered from the cache. */
    public long cacheHits() {
        return cacheHits.sum();
    }
}
