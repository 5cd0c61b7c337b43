package org.banyan.ledger.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbHandleTest {
    private static final byte[] KEY = {RocksDbHandle.DATA, 'k'};
    private static final byte[] VALUE = {1, 2, 3};

    @TempDir
    Path dir;

    @Test
    void readOnlyHandleReadsBesideAWriterAndRefusesWrites() {
        try (RocksDbHandle writer = RocksDbHandle.open(dir, "test-kind")) {
            writer.writeBlock(0, batch -> batch.put(KEY, VALUE));
            try (RocksDbHandle reader = RocksDbHandle.openReadOnly(dir, "test-kind")) {
                assertThat(reader.get(KEY)).isEqualTo(VALUE);
                assertThat(reader.savepoint()).isZero();
                assertThatThrownBy(() -> reader.writeBlock(1, batch -> batch.put(KEY, VALUE)))
                        .isInstanceOf(StorageException.class);
            }
            assertThatThrownBy(() -> RocksDbHandle.openReadOnly(dir, "other-kind"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void resetDeletesDataAndSavepointButKeepsTheKind() {
        try (RocksDbHandle handle = RocksDbHandle.open(dir, "test-kind")) {
            handle.writeBlock(0, batch -> batch.put(KEY, VALUE));
            handle.reset();
            assertThat(handle.get(KEY)).isNull();
            assertThat(handle.savepoint()).isEqualTo(Savepoints.NONE);
        }
        assertThatThrownBy(() -> RocksDbHandle.open(dir, "other-kind")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callsAfterCloseFailCleanly() {
        RocksDbHandle handle = RocksDbHandle.open(dir, "test-kind");
        handle.close();
        assertThatThrownBy(() -> handle.get(KEY)).isInstanceOf(IllegalStateException.class);
        handle.close();
    }
}
