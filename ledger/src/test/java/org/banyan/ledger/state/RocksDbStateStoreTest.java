package org.banyan.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.banyan.ledger.state.Updates.bytes;
import static org.banyan.ledger.state.Updates.put;

import java.nio.file.Path;
import java.util.List;
import org.banyan.ledger.history.RocksDbHistoryStore;
import org.banyan.ledger.storage.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbStateStoreTest extends StateStoreContract {
    @TempDir
    Path dir;

    @Override
    protected StateStore newStore() {
        return RocksDbStateStore.open(dir.resolve("state"));
    }

    @Test
    void dataMetadataAndSavepointSurviveReopen() {
        store.apply(3, List.of(put("cc", "k", "v", metadata("VALIDATION_PARAMETER", "p"), 3, 1),
                put("cc", "\u0000c\u0000x\u0000", "composite", 3, 2)));
        store.close();
        store = newStore();
        assertThat(store.savepoint()).isEqualTo(3);
        assertThat(store.get("cc", "k")).contains(new VersionedValue(bytes("v"), new Version(3, 1),
                metadata("VALIDATION_PARAMETER", "p")));
        store.apply(4, List.of(put("cc", "k", "v2", 4, 0)));
        assertThat(store.get("cc", "k").orElseThrow().metadata()).isEqualTo(metadata("VALIDATION_PARAMETER", "p"));
        assertThat(keys(store.range("cc", "", "", 10, ""))).containsExactly("\u0000c\u0000x\u0000", "k");
        assertThatThrownBy(() -> store.apply(4, List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void syncAfterApplyKeepsWorking() {
        store.apply(0, List.of(put("cc", "k", "v", 0, 0)));
        ((RocksDbStateStore) store).sync();
        assertThat(valueOf(store, "cc", "k")).contains(bytes("v"));
    }

    @Test
    void aDirectoryOpenTwiceIsAStorageError() {
        assertThatThrownBy(this::newStore).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.IO_ERROR));
    }

    @Test
    void aHistoryDirectoryIsNotAStateStore() {
        Path history = dir.resolve("history");
        RocksDbHistoryStore.open(history).close();
        assertThatThrownBy(() -> RocksDbStateStore.open(history)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("banyan-history-v1");
    }
}
