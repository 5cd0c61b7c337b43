package org.banyan.ledger.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ByteCodecTest {
    @Property(tries = 500)
    void readerInvertsWriter(@ForAll @LongRange(min = 0) long varint, @ForAll long fixed, @ForAll int fixedInt,
                             @ForAll byte[] bytes) {
        byte[] record = new ByteWriter(0).putVarint(varint).putLongBigEndian(fixed).putIntBigEndian(fixedInt)
                .putSizedVarint(bytes).putSizedBigEndian(bytes).toByteArray();
        ByteReader reader = new ByteReader(record, 0, "test record");
        assertThat(reader.readVarint()).isEqualTo(varint);
        assertThat(reader.readLongBigEndian()).isEqualTo(fixed);
        assertThat(reader.readIntBigEndian()).isEqualTo(fixedInt);
        assertThat(reader.readBytes(reader.readVarintInt(Integer.MAX_VALUE, "length"))).isEqualTo(bytes);
        assertThat(reader.readBytes(reader.readIntBigEndian())).isEqualTo(bytes);
        reader.expectEnd();
    }

    @Property(tries = 500)
    void bigEndianSortsLikeNonNegativeNumbers(@ForAll @LongRange(min = 0) long a, @ForAll @LongRange(min = 0) long b) {
        byte[] x = new ByteWriter(8).putLongBigEndian(a).toByteArray();
        byte[] y = new ByteWriter(8).putLongBigEndian(b).toByteArray();
        assertThat(Integer.signum(Arrays.compareUnsigned(x, y))).isEqualTo(Long.signum(Long.compare(a, b)));
    }

    @Test
    void truncatedAndOverlongRecordsAreCorruption() {
        assertCorrupt(() -> new ByteReader(new byte[] {1, 2}, 0, "r").readIntBigEndian());
        assertCorrupt(() -> new ByteReader(new byte[] {(byte) 0x80}, 0, "r").readVarint());
        byte[] elevenBytes = new byte[11];
        Arrays.fill(elevenBytes, (byte) 0xFF);
        assertCorrupt(() -> new ByteReader(elevenBytes, 0, "r").readVarint());
        assertCorrupt(() -> new ByteReader(new byte[] {5}, 0, "r").readVarintInt(4, "count"));
        assertCorrupt(() -> new ByteReader(new byte[] {0, 0}, 1, "r").expectEnd());
    }

    private static void assertCorrupt(Runnable read) {
        assertThatThrownBy(read::run).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPTION));
    }
}
