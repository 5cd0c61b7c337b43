package org.banyan.consensus;

import org.banyan.crypto.Assert;

/** A consenter's index in the channel's ordered consenter list, {@code 0 <= value < n}. */
public record ReplicaId(int value) implements Comparable<ReplicaId> {
    public ReplicaId {
        Assert.that(value >= 0, "replica=%d", value);
    }

    @Override
    public int compareTo(ReplicaId other) {
        return Integer.compare(value, other.value);
    }

    @Override
    public String toString() {
        return "R" + value;
    }
}
