package org.banyan.ledger.validation;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.banyan.ledger.BlockUpdates;
import org.banyan.ledger.state.StatePage;
import org.banyan.ledger.state.StateUpdate;
import org.banyan.ledger.state.Version;
import org.banyan.ledger.storage.Utf8;

/**
 * Fabric's {@code combinedIterator}: the keys of {@code [startKey, endKey)} (plus {@code endKey} itself when
 * the simulation did not exhaust its iterator) as committed state overlaid with the block's earlier valid
 * writes; an in-block write wins over the committed key, an in-block delete hides it. Yields (key, version) in
 * UTF-8 byte order, reading committed state a page at a time. Not thread-safe.
 */
final class CombinedRange implements Iterator<CombinedRange.Entry> {
    /** Committed keys read per page. */
    static final int PAGE_SIZE = 1_000;

    record Entry(String key, Version version) {}

    private final CommittedLedger ledger;
    private final String namespace;
    private final String startKey;
    private final String endKey;
    private final Iterator<StateUpdate> updates;
    private final String servedEndKey;
    private Iterator<StatePage.Entry> page = List.<StatePage.Entry>of().iterator();
    private String bookmark = "";
    private boolean committedExhausted;
    private StatePage.Entry committedNext;
    private StateUpdate updateNext;
    private Entry next;
    private boolean endKeyServed;
    private final BlockUpdates.Builder inBlock;

    CombinedRange(CommittedLedger ledger, BlockUpdates.Builder inBlock, String namespace, String startKey,
                  String endKey, boolean includeEndKey) {
        this.ledger = ledger;
        this.inBlock = inBlock;
        this.namespace = namespace;
        this.startKey = startKey;
        this.endKey = endKey;
        this.servedEndKey = includeEndKey && !endKey.isEmpty() ? endKey : null;
        List<StateUpdate> inRange = new ArrayList<>();
        for (StateUpdate update : inBlock.pending(namespace)) {
            if (Utf8.compare(update.key(), startKey) >= 0 && (endKey.isEmpty() || Utf8.compare(update.key(), endKey) < 0)) {
                inRange.add(update);
            }
        }
        inRange.sort((a, b) -> Utf8.compare(a.key(), b.key()));
        this.updates = inRange.iterator();
        // An empty namespace or an empty-or-inverted range holds no committed key (and the store rejects it).
        this.committedExhausted = namespace.isEmpty() || (!endKey.isEmpty() && Utf8.compare(startKey, endKey) >= 0);
        this.updateNext = updates.hasNext() ? updates.next() : null;
        this.committedNext = nextCommitted();
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            if (committedNext == null && updateNext == null) {
                next = endKeyEntry();
                return next != null;
            }
            int order = committedNext == null ? 1 : updateNext == null ? -1
                    : Utf8.compare(committedNext.key(), updateNext.key());
            if (order < 0) {
                next = new Entry(committedNext.key(), committedNext.value().version());
                committedNext = nextCommitted();
            } else {
                StateUpdate update = updateNext;
                updateNext = updates.hasNext() ? updates.next() : null;
                if (order == 0) {
                    committedNext = nextCommitted();
                }
                next = update.delete() ? null : new Entry(update.key(), update.version());
            }
        }
        return true;
    }

    @Override
    public Entry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Entry entry = next;
        next = null;
        return entry;
    }

    /** Fabric's {@code serveEndKeyIfNeeded}: the end key itself, from the block's writes, else from state. */
    private Entry endKeyEntry() {
        if (servedEndKey == null || endKeyServed || namespace.isEmpty()) {
            return null;
        }
        endKeyServed = true;
        Optional<StateUpdate> update = inBlock.pending(namespace, servedEndKey);
        if (update.isPresent()) {
            return update.get().delete() ? null : new Entry(servedEndKey, update.get().version());
        }
        return ledger.get(namespace, servedEndKey).map(value -> new Entry(servedEndKey, value.version())).orElse(null);
    }

    private StatePage.Entry nextCommitted() {
        while (!page.hasNext()) {
            if (committedExhausted) {
                return null;
            }
            StatePage read = ledger.range(namespace, startKey, endKey, PAGE_SIZE, bookmark);
            page = read.entries().iterator();
            bookmark = read.bookmark();
            committedExhausted = bookmark.isEmpty();
        }
        return page.next();
    }
}
