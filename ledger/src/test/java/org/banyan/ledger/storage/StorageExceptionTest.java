package org.banyan.ledger.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

class StorageExceptionTest {
    @Test
    void classifiesRocksDbStatus() {
        assertThat(kindOf(Status.Code.IOError, Status.SubCode.NoSpace, "")).isEqualTo(StorageException.Kind.NO_SPACE);
        assertThat(kindOf(Status.Code.IOError, Status.SubCode.None, "While appending: No space left on device"))
                .isEqualTo(StorageException.Kind.NO_SPACE);
        assertThat(kindOf(Status.Code.IOError, Status.SubCode.None, "lock held")).isEqualTo(StorageException.Kind.IO_ERROR);
        assertThat(kindOf(Status.Code.Corruption, Status.SubCode.None, "bad block")).isEqualTo(StorageException.Kind.CORRUPTION);
        assertThat(kindOf(Status.Code.Busy, Status.SubCode.None, "")).isEqualTo(StorageException.Kind.OTHER);
        assertThat(StorageException.of("w", new RocksDBException("no status")).kind()).isEqualTo(StorageException.Kind.OTHER);
    }

    @Test
    void classifiesJdkIoAndKeepsTheOperation() {
        StorageException e = StorageException.of("create /data/state", new IOException("No space left on device"));
        assertThat(e.kind()).isEqualTo(StorageException.Kind.NO_SPACE);
        assertThat(e).hasMessageContaining("create /data/state").hasMessageStartingWith("NO_SPACE");
    }

    private static StorageException.Kind kindOf(Status.Code code, Status.SubCode subCode, String message) {
        return StorageException.of("write", new RocksDBException(message, new Status(code, subCode, message))).kind();
    }
}
