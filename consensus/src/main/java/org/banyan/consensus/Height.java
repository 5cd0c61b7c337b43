package org.banyan.consensus;

import org.banyan.crypto.Assert;

/** A block's position in the consensus chain: genesis is 0, each block is its parent's height + 1. */
public record Height(long value) implements Comparable<Height> {
    public static final Height ZERO = new Height(0);

    public Height {
        Assert.that(value >= 0, "height=%d", value);
    }

    public Height next() {
        return new Height(Math.addExact(value, 1));
    }

    public boolean isAfter(Height other) {
        return value > other.value;
    }

    @Override
    public int compareTo(Height other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return "h" + value;
    }
}
