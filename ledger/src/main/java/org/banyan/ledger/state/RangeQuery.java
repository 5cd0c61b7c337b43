package org.banyan.ledger.state;

import org.banyan.ledger.storage.Utf8;

/**
 * The checked arguments of {@link StateStore#range}, reduced to one half-open interval: keys in
 * {@code [from, endKey)}, where {@code from} is the later of {@code startKey} and the key just after the
 * bookmark. Shared by every store so they agree on the edge cases.
 *
 * @param endKey the exclusive end; empty means unbounded
 */
record RangeQuery(String namespace, String from, String endKey, int pageSizeMax) {
    /**
     * @throws IllegalArgumentException when an argument is null, not valid Unicode, the namespace is empty,
     *     or {@code pageSizeMax} is outside {@code [1, StateStore.PAGE_SIZE_MAX]}
     */
    static RangeQuery of(String namespace, String startKey, String endKey, int pageSizeMax, String bookmark) {
        Utf8.checkNonEmpty(namespace, "namespace");
        Utf8.check(startKey, "startKey");
        Utf8.check(endKey, "endKey");
        Utf8.check(bookmark, "bookmark");
        if (pageSizeMax < 1 || pageSizeMax > StateStore.PAGE_SIZE_MAX) {
            throw new IllegalArgumentException("pageSizeMax=" + pageSizeMax + " is outside [1, "
                    + StateStore.PAGE_SIZE_MAX + "]");
        }
        String from = startKey;
        if (!bookmark.isEmpty()) {
            // bookmark + U+0000 is the smallest string above the bookmark: U+0000 is the smallest code point,
            // and it encodes as the single byte 0x00.
            String afterBookmark = bookmark + '\u0000';
            if (Utf8.compare(afterBookmark, from) > 0) {
                from = afterBookmark;
            }
        }
        return new RangeQuery(namespace, from, endKey, pageSizeMax);
    }

    /**
     * Checks the arguments of {@link StateStore#namespaces}.
     *
     * @throws IllegalArgumentException when {@code afterNamespace} is null or not valid Unicode, or
     *     {@code limit} is outside {@code [1, StateStore.PAGE_SIZE_MAX]}
     */
    static void checkNamespaces(String afterNamespace, int limit) {
        Utf8.check(afterNamespace, "afterNamespace");
        if (limit < 1 || limit > StateStore.PAGE_SIZE_MAX) {
            throw new IllegalArgumentException("limit=" + limit + " is outside [1, " + StateStore.PAGE_SIZE_MAX + "]");
        }
    }

    /** True when no key can lie in the interval. */
    boolean isEmpty() {
        return !endKey.isEmpty() && Utf8.compare(from, endKey) >= 0;
    }

    /** True when {@code key} lies before the exclusive end. */
    boolean beforeEnd(String key) {
        return endKey.isEmpty() || Utf8.compare(key, endKey) < 0;
    }
}
