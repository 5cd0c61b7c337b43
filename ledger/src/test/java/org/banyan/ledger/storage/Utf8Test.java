package org.banyan.ledger.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class Utf8Test {
    @Property(tries = 2_000)
    void compareMatchesUtf8ByteOrder(@ForAll("unicode") String a, @ForAll("unicode") String b) {
        int bytes = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
        assertThat(Integer.signum(Utf8.compare(a, b))).isEqualTo(Integer.signum(bytes));
    }

    @Property(tries = 500)
    void decodeInvertsEncode(@ForAll("unicode") String text) {
        byte[] bytes = Utf8.encode(text, "text");
        assertThat(Utf8.decode(bytes, 0, bytes.length)).isEqualTo(text);
    }

    @Test
    void supplementaryCharactersSortAfterTheTopOfTheBasicPlane() {
        String emoji = "\uD83D\uDE00"; // U+1F600: String.compareTo puts it before U+FFFF
        assertThat("\uFFFF".compareTo(emoji)).isPositive();
        assertThat(Utf8.compare("\uFFFF", emoji)).isNegative();
        assertThat(Utf8.compare("a", "a\u0000")).isNegative();
    }

    @Test
    void unpairedSurrogatesAreRejected() {
        assertThatThrownBy(() -> Utf8.encode("a\uD800", "key")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key").hasMessageContaining("index 1");
        assertThatThrownBy(() -> Utf8.check("\uDC00a", "key")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Utf8.checkNonEmpty("", "namespace")).hasMessageContaining("namespace is empty");
        assertThatThrownBy(() -> Utf8.check(null, "key")).hasMessageContaining("key is null");
    }

    @Test
    void invalidStoredBytesAreCorruption() {
        byte[] truncated = {(byte) 0xE2, (byte) 0x82};
        assertThatThrownBy(() -> Utf8.decode(truncated, 0, 2)).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPTION));
    }

    @Provide
    Arbitrary<String> unicode() {
        Arbitrary<String> pieces = Arbitraries.of("", "\u0000", "a", "\u007F", "\u0080", "\u07FF", "\uD7FF", "\uE000",
                "\uFFFF", "\uD800\uDC00", "\uD83D\uDE00", "\uDBFF\uDFFF");
        Arbitrary<String> random = Arbitraries.strings().all().ofMaxLength(4).filter(s -> {
            try {
                Utf8.check(s, "s");
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        });
        return Arbitraries.oneOf(pieces, random).list().ofMaxSize(4).map(list -> String.join("", list));
    }
}
