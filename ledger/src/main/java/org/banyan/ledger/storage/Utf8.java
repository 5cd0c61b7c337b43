package org.banyan.ledger.storage;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * Keys and namespaces as Fabric sees them: valid UTF-8, ordered by their bytes. A Java string with an
 * unpaired surrogate has no UTF-8 form (the JDK would silently write '?'), so such input is rejected.
 */
public final class Utf8 {
    /**
     * Orders strings as their UTF-8 bytes order, which is Unicode code point order. {@link String#compareTo}
     * orders UTF-16 units instead and puts U+10000..U+10FFFF (surrogate pairs) before U+E000..U+FFFF.
     */
    public static final Comparator<String> ORDER = Utf8::compare;

    private Utf8() {}

    /**
     * The UTF-8 bytes of {@code text}.
     *
     * @param what names the argument in the error, for example "key"
     * @throws IllegalArgumentException when {@code text} is null or holds an unpaired surrogate
     */
    public static byte[] encode(String text, String what) {
        check(text, what);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes stored bytes.
     *
     * @throws StorageException of kind CORRUPTION when the bytes are not valid UTF-8
     */
    public static String decode(byte[] bytes, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw StorageException.corrupt("stored text is not valid UTF-8 at offset " + offset);
        }
    }

    /** @throws IllegalArgumentException when {@code text} is null or holds an unpaired surrogate */
    public static void check(String text, String what) {
        if (text == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " is not valid Unicode: unpaired surrogate at index " + i);
            }
        }
    }

    /** Like {@link #check}, and also rejects the empty string. */
    public static void checkNonEmpty(String text, String what) {
        check(text, what);
        if (text.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
    }

    /** Compares in code point order (= UTF-8 byte order) without encoding either string. */
    public static int compare(String a, String b) {
        int common = Math.min(a.length(), b.length());
        for (int i = 0; i < common; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return Integer.compare(codePointRank(x), codePointRank(y));
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /**
     * At the first differing UTF-16 unit, moves surrogates above U+E000..U+FFFF so the order becomes code
     * point order (the fix-up of ICU's {@code u_strcmpCodePointOrder}); every other unit keeps its order.
     */
    private static int codePointRank(char unit) {
        if (unit >= 0xE000) {
            return unit - 0x800;
        }
        return Character.isSurrogate(unit) ? unit + 0x2000 : unit;
    }
}
