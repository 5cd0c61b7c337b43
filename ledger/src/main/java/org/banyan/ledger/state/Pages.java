package org.banyan.ledger.state;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.banyan.crypto.Assert;
import org.banyan.ledger.storage.Utf8;

/** Cuts one page from the entries of a range, the same way for every store. */
final class Pages {
    private Pages() {}

    /**
     * Takes up to {@code pageSizeMax} entries. The bookmark is the last key taken when at least one more
     * entry follows, else empty, so the caller needs no extra round trip to learn the range is exhausted.
     *
     * @param inRange the range's entries in ascending key order, ending at the range's end
     */
    static StatePage cut(Iterator<StatePage.Entry> inRange, int pageSizeMax) {
        Assert.that(pageSizeMax > 0 && pageSizeMax <= StateStore.PAGE_SIZE_MAX, "pageSizeMax=%d", pageSizeMax);
        List<StatePage.Entry> entries = new ArrayList<>(Math.min(pageSizeMax, 1_024));
        while (entries.size() < pageSizeMax && inRange.hasNext()) {
            StatePage.Entry entry = inRange.next();
            Assert.that(entries.isEmpty() || Utf8.compare(
                    entries.getLast().key(), entry.key()) < 0, "range out of order at %s", entry.key());
            entries.add(entry);
        }
        String bookmark = !entries.isEmpty() && inRange.hasNext() ? entries.getLast().key() : "";
        return new StatePage(List.copyOf(entries), bookmark);
    }

    static StatePage empty() {
        return new StatePage(List.of(), "");
    }
}
