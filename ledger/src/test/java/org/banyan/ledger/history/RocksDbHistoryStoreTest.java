package org.banyan.ledger.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.banyan.ledger.state.RocksDbStateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbHistoryStoreTest extends HistoryStoreContract {
    @TempDir
    Path dir;

    @Override
    protected HistoryStore newStore() {
        return RocksDbHistoryStore.open(dir.resolve("history"));
    }

    @Test
    void entriesAndSavepointSurviveReopen() {
        store.apply(2, List.of(write("cc", "k", 2, 0), delete("cc", "k", 2, 1)));
        store.close();
        store = newStore();
        assertThat(store.savepoint()).isEqualTo(2);
        assertThat(store.history("cc", "k", 10)).containsExactly(write("cc", "k", 2, 0), delete("cc", "k", 2, 1));
        assertThatThrownBy(() -> store.apply(2, List.of())).isInstanceOf(IllegalStateException.class);
        ((RocksDbHistoryStore) store).sync();
    }

    @Test
    void aStateDirectoryIsNotAHistoryStore() {
        Path state = dir.resolve("state");
        RocksDbStateStore.open(state).close();
        assertThatThrownBy(() -> RocksDbHistoryStore.open(state)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("banyan-state-v1");
    }
}
