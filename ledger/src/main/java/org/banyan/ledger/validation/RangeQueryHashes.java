package org.banyan.ledger.validation;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.banyan.crypto.Assert;
import org.banyan.crypto.Hashes;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReadsMerkleSummary;

/**
 * Fabric's merkle summary of a range query's results ({@code rwsetutil.RangeQueryResultsHelper} with hashing
 * on): results are hashed in batches of {@code maxDegree + 1} as {@code QueryReads} protobufs (SHA-256), batch
 * hashes form the leaf level (1), and every level holding more than {@code maxDegree} hashes is combined
 * (SHA-256 of their concatenation) into one hash of the next level. With at most {@code maxDegree} results no
 * summary exists (the simulator stores raw reads instead). Not thread-safe; one per range query.
 */
final class RangeQueryHashes {
    private static final int LEAF_LEVEL = 1;

    private final int maxDegree;
    private final List<KVRead> pending = new ArrayList<>();
    private final TreeMap<Integer, List<ByteString>> tree = new TreeMap<>();
    private int maxLevel = LEAF_LEVEL;

    RangeQueryHashes(int maxDegree) {
        Assert.that(maxDegree > 1, "maxDegree=%d", maxDegree);
        this.maxDegree = maxDegree;
    }

    void add(KVRead read) {
        pending.add(read);
        if (pending.size() > maxDegree) {
            hashPending();
        }
    }

    /** The summary over everything added, or null when there were at most {@code maxDegree} results. */
    QueryReadsMerkleSummary done() {
        if (maxLevel == LEAF_LEVEL && tree.getOrDefault(LEAF_LEVEL, List.of()).isEmpty()) {
            return null;
        }
        if (!pending.isEmpty()) {
            hashPending();
        }
        ByteString carried = null;
        for (int level = LEAF_LEVEL; level < maxLevel; level++) {
            List<ByteString> hashes = tree.remove(level);
            if (hashes == null || hashes.isEmpty()) {
                continue;
            }
            carried = hashes.size() == 1 ? hashes.getFirst() : combined(hashes);
            tree.computeIfAbsent(level + 1, l -> new ArrayList<>()).add(carried);
        }
        List<ByteString> top = tree.getOrDefault(maxLevel, List.of());
        if (top.size() > maxDegree) {
            tree.remove(maxLevel);
            maxLevel++;
            top = List.of(combined(top));
            tree.put(maxLevel, new ArrayList<>(top));
        }
        return QueryReadsMerkleSummary.newBuilder().setMaxDegree(maxDegree).setMaxLevel(maxLevel)
                .addAllMaxLevelHashes(top).build();
    }

    private void hashPending() {
        byte[] batch = QueryReads.newBuilder().addAllKvReads(pending).build().toByteArray();
        pending.clear();
        update(ByteString.copyFrom(Hashes.sha256(batch)));
    }

    private void update(ByteString leaf) {
        tree.computeIfAbsent(LEAF_LEVEL, l -> new ArrayList<>()).add(leaf);
        int level = LEAF_LEVEL;
        while (tree.get(level).size() > maxDegree) {
            ByteString next = combined(tree.remove(level));
            level++;
            tree.computeIfAbsent(level, l -> new ArrayList<>()).add(next);
            maxLevel = Math.max(maxLevel, level);
        }
    }

    private static ByteString combined(List<ByteString> hashes) {
        ByteString all = ByteString.EMPTY;
        for (ByteString hash : hashes) {
            all = all.concat(hash);
        }
        return ByteString.copyFrom(Hashes.sha256(all.toByteArray()));
    }
}
