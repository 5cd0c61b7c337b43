package org.banyan.node.ordering;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.banyan.consensus.Digest;
import org.banyan.crypto.Assert;

/**
 * Verdicts by payload digest, at most {@code entriesMax}, least recently used evicted first. Thread-safe, and a
 * payload is checked once even when the transport's pool and the event loop ask for it at the same time: the
 * second caller waits for the first one's result instead of verifying again.
 */
final class VerdictCache {
    private final int entriesMax;
    private final Map<Digest, Slot> entries;

    /** One payload's verdict, computed by the first caller. */
    private static final class Slot {
        private EnvelopeCheck check;

        synchronized EnvelopeCheck get(Supplier<EnvelopeCheck> compute) {
            if (check == null) {
                check = compute.get();
            }
            return check;
        }

        synchronized boolean done() {
            return check != null;
        }
    }

    VerdictCache(int entriesMax) {
        Assert.that(entriesMax > 0, "entriesMax=%d", entriesMax);
        this.entriesMax = entriesMax;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Digest, Slot> eldest) {
                return size() > VerdictCache.this.entriesMax;
            }
        };
    }

    /** The cached verdict, or {@code compute}'s, computed at most once per cached digest. */
    EnvelopeCheck get(Digest digest, Supplier<EnvelopeCheck> compute) {
        Slot slot;
        synchronized (entries) {
            slot = entries.computeIfAbsent(digest, key -> new Slot());
        }
        // Outside the map lock: verifications of different payloads run in parallel.
        return slot.get(compute);
    }

    /** True when the digest's verdict is known (used to skip work, never to decide). */
    boolean contains(Digest digest) {
        Slot slot;
        synchronized (entries) {
            slot = entries.get(digest);
        }
        return slot != null && slot.done();
    }

    int size() {
        synchronized (entries) {
            Assert.that(entries.size() <= entriesMax, "cached=%d max=%d", entries.size(), entriesMax);
            return entries.size();
        }
    }
}
