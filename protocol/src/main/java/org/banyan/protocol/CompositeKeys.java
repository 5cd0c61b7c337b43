package org.banyan.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Fabric's composite-key encoding ({@code shim.CreateCompositeKey}): U+0000, object type, U+0000, then each
 * attribute followed by U+0000. Keys that start with U+0000 live in the composite-key namespace, so a
 * range over simple keys never returns them.
 */
public final class CompositeKeys {
    /** Marks the composite-key namespace and separates attributes. */
    public static final char NAMESPACE = '\u0000';
    /** Fabric's {@code maxUnicodeRuneValue}: the upper bound of a partial-key range. */
    public static final String MAX_UNICODE_RUNE = new String(Character.toChars(0x10FFFF));

    private CompositeKeys() {}

    /** Builds a composite key; rejects attributes that would break the encoding, as Fabric does. */
    public static String create(String objectType, List<String> attributes) {
        check(objectType);
        StringBuilder key = new StringBuilder().append(NAMESPACE).append(objectType).append(NAMESPACE);
        for (String attribute : attributes) {
            check(attribute);
            key.append(attribute).append(NAMESPACE);
        }
        return key.toString();
    }

    /** The [start, end) range that holds every key with the given object type and leading attributes. */
    public static String[] partialRange(String objectType, List<String> attributes) {
        String start = create(objectType, attributes);
        return new String[] {start, start + MAX_UNICODE_RUNE};
    }

    /** Splits a composite key into its object type (first element) and attributes. */
    public static List<String> split(String compositeKey) {
        if (compositeKey.isEmpty() || compositeKey.charAt(0) != NAMESPACE) {
            throw new IllegalArgumentException("not a composite key");
        }
        List<String> parts = new ArrayList<>();
        int start = 1;
        for (int i = 1; i < compositeKey.length(); i++) {
            if (compositeKey.charAt(i) == NAMESPACE) {
                parts.add(compositeKey.substring(start, i));
                start = i + 1;
            }
        }
        return parts;
    }

    public static boolean isComposite(String key) {
        return !key.isEmpty() && key.charAt(0) == NAMESPACE;
    }

    private static void check(String part) {
        for (int i = 0; i < part.length(); ) {
            int codePoint = part.codePointAt(i);
            if (codePoint == 0 || codePoint == 0x10FFFF) {
                throw new IllegalArgumentException(
                        "input contains unicode U+0000 or U+10FFFF, which are reserved for composite keys");
            }
            i += Character.charCount(codePoint);
        }
    }
}
