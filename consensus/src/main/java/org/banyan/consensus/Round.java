package org.banyan.consensus;

import org.banyan.crypto.Assert;

/** A consensus round (DiemBFT v4 §4): 0 is genesis, proposals start at 1. Leaders rotate per round. */
public record Round(long value) implements Comparable<Round> {
    public static final Round ZERO = new Round(0);

    public Round {
        Assert.that(value >= 0, "round=%d", value);
    }

    public Round next() {
        return new Round(Math.addExact(value, 1));
    }

    public boolean isAfter(Round other) {
        return value > other.value;
    }

    /** True when this round directly follows {@code previous} (the paper's {@code consecutive}). */
    public boolean follows(Round previous) {
        return value == previous.value + 1;
    }

    public static Round max(Round a, Round b) {
        return a.value >= b.value ? a : b;
    }

    @Override
    public int compareTo(Round other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return "r" + value;
    }
}
