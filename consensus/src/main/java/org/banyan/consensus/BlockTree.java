package org.banyan.consensus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.banyan.crypto.Assert;

/**
 * Uncommitted blocks that link to the committed tip, plus a bounded window of committed blocks kept to serve
 * sync requests. Not thread-safe (owned by one {@link Replica}).
 */
final class BlockTree {
    private final int treeBlocksMax;
    private final int retainedBlocksMax;
    private final Map<Digest, Block> uncommitted = new HashMap<>();
    private final LinkedHashMap<Digest, Block> retained = new LinkedHashMap<>();
    private CommittedTip tip;

    BlockTree(CommittedTip tip, int treeBlocksMax, int retainedBlocksMax) {
        this.tip = tip;
        this.treeBlocksMax = treeBlocksMax;
        this.retainedBlocksMax = retainedBlocksMax;
        if (tip.blockId().equals(Block.genesis().id())) {
            retained.put(tip.blockId(), Block.genesis());
        }
    }

    /** Keeps a committed block (from the ledger, at start) to serve sync requests; evicts the oldest past the bound. */
    void retain(Block block) {
        Assert.that(!block.height().isAfter(tip.height()), "%s above tip %s", block, tip);
        retained.put(block.id(), block);
        while (retained.size() > retainedBlocksMax) {
            retained.remove(retained.keySet().iterator().next());
        }
    }

    CommittedTip tip() {
        return tip;
    }

    Height committedHeight() {
        return tip.height();
    }

    /** True when a child of {@code id} can be inserted: it is the tip or an uncommitted block. */
    boolean canExtend(Digest id) {
        return tip.blockId().equals(id) || uncommitted.containsKey(id);
    }

    boolean containsUncommitted(Digest id) {
        return uncommitted.containsKey(id);
    }

    /** Any block held, committed (within the retained window) or not. */
    Block get(Digest id) {
        Block block = uncommitted.get(id);
        return block != null ? block : retained.get(id);
    }

    boolean isFull() {
        return uncommitted.size() >= treeBlocksMax;
    }

    void insert(Block block) {
        Assert.that(canExtend(block.parentId()), "parent of %s not held", block);
        Assert.that(block.height().isAfter(tip.height()), "%s at or below tip %s", block, tip);
        Assert.that(uncommitted.size() < treeBlocksMax, "tree full: %d", uncommitted.size());
        uncommitted.put(block.id(), block);
    }

    /**
     * The uncommitted blocks from just above the tip up to {@code id}, ascending; empty when {@code id} is the
     * tip; null when the chain is incomplete or does not reach the tip (a fork of the committed chain).
     */
    List<Block> pathFromTip(Digest id) {
        List<Block> path = new ArrayList<>();
        Digest cursor = id;
        while (!cursor.equals(tip.blockId())) {
            Block block = uncommitted.get(cursor);
            if (block == null || path.size() > treeBlocksMax) {
                return null;
            }
            path.add(block);
            cursor = block.parentId();
        }
        return path.reversed();
    }

    /** Moves a committed path (as returned by {@link #pathFromTip}) out of the tree and prunes dead forks. */
    void commit(List<Block> path) {
        Assert.that(!path.isEmpty() && path.getFirst().parentId().equals(tip.blockId()), "commit does not extend tip");
        for (Block block : path) {
            Assert.that(block.height().equals(tip.height().next()), "height gap at %s after %s", block, tip);
            uncommitted.remove(block.id());
            retained.put(block.id(), block);
            tip = new CommittedTip(block.height(), block.id(), block.round());
        }
        while (retained.size() > retainedBlocksMax) {
            retained.remove(retained.keySet().iterator().next());
        }
        uncommitted.values().removeIf(b -> !b.height().isAfter(tip.height()));
        // Blocks whose ancestry no longer reaches the tip are dead forks.
        Set<Digest> live = new HashSet<>();
        live.add(tip.blockId());
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Block b : uncommitted.values()) {
                if (!live.contains(b.id()) && live.contains(b.parentId())) {
                    live.add(b.id());
                    changed = true;
                }
            }
        }
        uncommitted.keySet().retainAll(live);
    }

    /** Payload ids in uncommitted blocks from {@code id} down to the tip (in flight on that chain). */
    Set<String> payloadIdsOnChain(Digest id) {
        Set<String> ids = new HashSet<>();
        List<Block> path = pathFromTip(id);
        if (path != null) {
            for (Block block : path) {
                for (Payload p : block.payloads()) {
                    ids.add(p.payloadId());
                }
            }
        }
        return ids;
    }

    /** True when an uncommitted block from {@code id} down to the tip carries payloads. */
    boolean uncommittedPayloadsOnChain(Digest id) {
        List<Block> path = pathFromTip(id);
        return path != null && path.stream().anyMatch(b -> !b.payloads().isEmpty());
    }

    /**
     * Blocks from just above {@code aboveHeight} towards {@code id}, ascending: at most {@code blocksMax}, and after
     * the first only while their payload bytes total at most {@code payloadBytesMax}.
     */
    List<Block> chainAbove(Digest id, Height aboveHeight, int blocksMax, long payloadBytesMax) {
        List<Block> chain = new ArrayList<>();
        Block cursor = get(id);
        int walkedMax = treeBlocksMax + retainedBlocksMax;
        while (cursor != null && !cursor.isGenesis() && cursor.height().isAfter(aboveHeight)
                && chain.size() < walkedMax) {
            chain.add(cursor);
            cursor = get(cursor.parentId());
        }
        List<Block> ascending = chain.reversed();
        int count = 0;
        long bytes = 0;
        // At least one block (a block alone is within the proposal limit), then only while the payload bytes stay
        // within payloadBytesMax, so a response fits a transport frame however large the blocks are.
        while (count < Math.min(blocksMax, ascending.size())
                && (count == 0 || bytes + ascending.get(count).payloadBytes() <= payloadBytesMax)) {
            bytes += ascending.get(count).payloadBytes();
            count++;
        }
        return List.copyOf(ascending.subList(0, count));
    }

    int size() {
        return uncommitted.size();
    }
}
