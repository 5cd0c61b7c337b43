package org.banyan.consensus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Payloads waiting to be ordered, in arrival order, deduplicated by payload id and bounded; plus a bounded set
 * of recently committed ids so a committed payload is neither pooled nor ordered again.
 */
final class PendingPool {
    private final int pendingPayloadsMax;
    private final int recentPayloadIdsMax;
    private final LinkedHashMap<String, Payload> pending = new LinkedHashMap<>();
    private final LinkedHashSet<String> committedIds = new LinkedHashSet<>();

    PendingPool(int pendingPayloadsMax, int recentPayloadIdsMax) {
        this.pendingPayloadsMax = pendingPayloadsMax;
        this.recentPayloadIdsMax = recentPayloadIdsMax;
    }

    /** Adds the payload unless known, committed or the pool is full; returns true when added. */
    boolean add(Payload payload) {
        if (pending.containsKey(payload.payloadId()) || committedIds.contains(payload.payloadId())
                || pending.size() >= pendingPayloadsMax) {
            return false;
        }
        pending.put(payload.payloadId(), payload);
        return true;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    int size() {
        return pending.size();
    }

    boolean isCommitted(String payloadId) {
        return committedIds.contains(payloadId);
    }

    /** The oldest pending payloads not in {@code exclude}, within the count and byte limits. */
    List<Payload> cut(Set<String> exclude, int payloadsMax, long bytesMax) {
        List<Payload> batch = new ArrayList<>();
        long bytes = 0;
        for (Payload p : pending.values()) {
            if (batch.size() >= payloadsMax) {
                break;
            }
            if (exclude.contains(p.payloadId()) || bytes + p.sizeBytes() > bytesMax) {
                continue;
            }
            batch.add(p);
            bytes += p.sizeBytes();
        }
        return batch;
    }

    void markCommitted(String payloadId) {
        pending.remove(payloadId);
        committedIds.remove(payloadId);
        committedIds.add(payloadId);
        while (committedIds.size() > recentPayloadIdsMax) {
            committedIds.remove(committedIds.iterator().next());
        }
    }
}
