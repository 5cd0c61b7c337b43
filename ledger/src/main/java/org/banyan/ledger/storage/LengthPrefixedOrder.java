package org.banyan.ledger.storage;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import org.banyan.crypto.Assert;

/**
 * The order in which RocksDB keeps strings stored as {@code u32 length, UTF-8 bytes}: a shorter UTF-8 encoding
 * first, equal lengths by their bytes. It is how namespaces (and history keys) come out of a prefix scan, so the
 * in-memory stores enumerate them in this order too and a caller can walk two stores in step.
 */
public final class LengthPrefixedOrder {
    /** Shorter UTF-8 encoding first, then UTF-8 byte order. Arguments must be valid Unicode. */
    public static final Comparator<String> ORDER = LengthPrefixedOrder::compare;

    private LengthPrefixedOrder() {}

    /** Compares as the length-prefixed UTF-8 encodings of {@code a} and {@code b} compare. */
    public static int compare(String a, String b) {
        int byLength = Integer.compare(a.getBytes(StandardCharsets.UTF_8).length,
                b.getBytes(StandardCharsets.UTF_8).length);
        return byLength != 0 ? byLength : Utf8.compare(a, b);
    }

    /**
     * The smallest byte string above every byte string that starts with {@code prefix}: the prefix with its
     * last byte incremented. Valid for prefixes ending in a UTF-8 byte of non-empty text, which is never 0xFF.
     */
    public static byte[] successor(byte[] prefix) {
        int last = prefix.length - 1;
        Assert.that(last >= 0 && (prefix[last] & 0xFF) != 0xFF, "prefix ends in 0xFF");
        byte[] next = prefix.clone();
        next[last]++;
        return next;
    }
}
