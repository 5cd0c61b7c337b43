package org.banyan.ledger.simulation;

import org.banyan.ledger.CommittedState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.banyan.ledger.state.InMemoryStateStore;
import org.banyan.ledger.state.StatePage;
import org.banyan.ledger.state.StateUpdate;
import org.banyan.ledger.state.Version;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TxSimulatorTest {
    private static final String CC = "basic";
    private InMemoryStateStore store;

    @BeforeEach
    void committed() {
        store = new InMemoryStateStore();
        store.apply(1, List.of(put("a", "A", 1, 0), put("b", "B", 1, 1), put("d", "D", 1, 2)));
        store.apply(2, List.of(put("c", "C", 2, 0), put("b", "B2", 2, 1)));
        store.apply(3, List.of(new StateUpdate("other", "x", false, bytes("X"), null, new Version(3, 0))));
    }

    @Test
    void readsRecordTheCommittedVersionAndAbsentKeysWithoutVersion() throws Exception {
        TxSimulator sim = simulator();
        assertThat(sim.getState(CC, "b")).contains(bytes("B2"));
        assertThat(sim.getState(CC, "zz")).isEmpty();
        assertThat(sim.getState(CC, "b")).contains(bytes("B2"));

        KVRWSet set = kv(sim.results(), CC);
        assertThat(set.getReadsList()).containsExactly(read("b", 2, 1), KVRead.newBuilder().setKey("zz").build());
        assertThat(set.getReads(1).hasVersion()).isFalse();
        assertThat(set.getWritesList()).isEmpty();
    }

    @Test
    void aTransactionDoesNotReadItsOwnWrites() throws Exception {
        TxSimulator sim = simulator();
        sim.putState(CC, "a", bytes("new"));
        sim.putState(CC, "n", bytes("fresh"));
        // Fabric's simulator reads committed state only.
        assertThat(sim.getState(CC, "a")).contains(bytes("A"));
        assertThat(sim.getState(CC, "n")).isEmpty();
        KVRWSet set = kv(sim.results(), CC);
        assertThat(set.getReadsList()).containsExactly(read("a", 1, 0), KVRead.newBuilder().setKey("n").build());
        assertThat(set.getWritesList()).extracting(w -> w.getKey() + "=" + w.getValue().toStringUtf8())
                .containsExactly("a=new", "n=fresh");
    }

    @Test
    void writesAreSortedByKeyLastWinsAndEmptyValueDeletes() throws Exception {
        TxSimulator sim = simulator();
        sim.putState(CC, "z", bytes("1"));
        sim.putState(CC, "m", bytes("1"));
        sim.putState(CC, "z", bytes("2"));
        sim.deleteState(CC, "a");
        sim.putState(CC, "e", ByteString.EMPTY);
        sim.putState(CC, "\u0000composite\u0000k\u0000", bytes("c"));
        KVRWSet set = kv(sim.results(), CC);
        assertThat(set.getWritesList()).extracting(w -> w.getKey() + (w.getIsDelete() ? " deleted" : "=" + w.getValue().toStringUtf8()))
                .containsExactly("\u0000composite\u0000k\u0000=c", "a deleted", "e deleted", "m=1", "z=2");
        assertThat(sim.hasWrites()).isTrue();
    }

    @Test
    void namespacesAreSortedAndMetadataWritesCarrySortedEntries() throws Exception {
        TxSimulator sim = simulator();
        sim.putState("zeta", "k", bytes("v"));
        sim.getState("alpha", "k");
        Map<String, ByteString> metadata = new TreeMap<>(Map.of("VALIDATION_PARAMETER", bytes("p"), "A", bytes("q")));
        sim.setStateMetadata("zeta", "k", metadata);
        TxReadWriteSet results = sim.results();
        assertThat(results.getDataModel()).isEqualTo(TxReadWriteSet.DataModel.KV);
        assertThat(results.getNsRwsetList()).extracting(ns -> ns.getNamespace()).containsExactly("alpha", "zeta");
        KVRWSet zeta = kv(results, "zeta");
        assertThat(zeta.getMetadataWrites(0).getKey()).isEqualTo("k");
        assertThat(zeta.getMetadataWrites(0).getEntriesList()).extracting(e -> e.getName())
                .containsExactly("A", "VALIDATION_PARAMETER");
    }

    @Test
    void metadataReadRecordsTheKeyVersion() throws Exception {
        store.apply(4, List.of(new StateUpdate(CC, "m", false, bytes("M"),
                new TreeMap<>(Map.of("VALIDATION_PARAMETER", bytes("policy"))), new Version(4, 0))));
        TxSimulator sim = simulator();
        assertThat(sim.getStateMetadata(CC, "m")).containsEntry("VALIDATION_PARAMETER", bytes("policy"));
        assertThat(sim.getStateMetadata(CC, "none")).isEmpty();
        assertThat(kv(sim.results(), CC).getReadsList()).containsExactly(read("m", 4, 0),
                KVRead.newBuilder().setKey("none").build());
    }

    @Test
    void anExhaustedRangeRecordsRawReadsAndTheQueryEndKey() throws Exception {
        TxSimulator sim = simulator();
        List<String> keys = new ArrayList<>();
        try (RangeIterator scan = sim.rangeScan(CC, "b", "")) {
            for (Optional<StatePage.Entry> e = scan.next(); e.isPresent(); e = scan.next()) {
                keys.add(e.get().key());
            }
        }
        assertThat(keys).containsExactly("b", "c", "d");
        KVRWSet set = kv(sim.results(), CC);
        assertThat(set.getReadsList()).isEmpty();
        RangeQueryInfo info = set.getRangeQueriesInfo(0);
        assertThat(info.getStartKey()).isEqualTo("b");
        assertThat(info.getEndKey()).isEmpty();
        assertThat(info.getItrExhausted()).isTrue();
        assertThat(info.getRawReads().getKvReadsList()).containsExactly(read("b", 2, 1), read("c", 2, 0), read("d", 1, 2));
    }

    @Test
    void aScanStoppedEarlyRecordsTheLastKeyReadAndResultsClosesOpenScans() throws Exception {
        TxSimulator sim = simulator();
        RangeIterator scan = sim.rangeScan(CC, "a", "d");
        assertThat(scan.next().map(StatePage.Entry::key)).contains("a");
        assertThat(scan.next().map(StatePage.Entry::key)).contains("b");
        RangeQueryInfo info = kv(sim.results(), CC).getRangeQueriesInfo(0);
        assertThat(info.getEndKey()).isEqualTo("b");
        assertThat(info.getItrExhausted()).isFalse();
        assertThat(info.getRawReads().getKvReadsCount()).isEqualTo(2);
        assertThatThrownBy(() -> sim.getState(CC, "a")).isInstanceOf(SimulationException.class);
    }

    @Test
    void aScanLongerThanOneStorePageReadsEveryKey() {
        List<StateUpdate> many = new ArrayList<>();
        for (int i = 0; i < RangeIterator.STORE_PAGE_SIZE * 2 + 5; i++) {
            many.add(put(String.format("k%05d", i), "v", 5, i));
        }
        store.apply(5, many);
        TxSimulator sim = simulator();
        int count = 0;
        try (RangeIterator scan = sim.rangeScan(CC, "k", "l")) {
            while (scan.next().isPresent()) {
                count++;
            }
        }
        assertThat(count).isEqualTo(many.size());
    }

    @Test
    void paginatedScanStopsAtThePageAndBookmarksTheNextKey() {
        TxSimulator sim = simulator();
        RangeIterator page = sim.rangeScanWithPagination(CC, "\u0001", "", 2);
        assertThat(page.next().map(StatePage.Entry::key)).contains("a");
        assertThat(page.next().map(StatePage.Entry::key)).contains("b");
        assertThat(page.next()).isEmpty();
        assertThat(page.bookmark()).isEqualTo("c");
        page.close();
        RangeIterator last = sim.rangeScanWithPagination(CC, "c", "", 2);
        assertThat(last.next().map(StatePage.Entry::key)).contains("c");
        assertThat(last.next().map(StatePage.Entry::key)).contains("d");
        assertThat(last.next()).isEmpty();
        assertThat(last.bookmark()).isEmpty();
    }

    @Test
    void paginatedQueriesAndWritesExcludeEachOtherWithFabricsMessages() {
        TxSimulator writer = simulator();
        writer.putState(CC, "a", bytes("x"));
        assertThatThrownBy(() -> writer.rangeScanWithPagination(CC, "a", "", 1))
                .isInstanceOf(SimulationException.class)
                .hasMessage("txid [tx1]: unsuppored transaction. Paginated queries are supported only in a read-only transaction");
        TxSimulator reader = simulator();
        reader.rangeScanWithPagination(CC, "a", "", 1).close();
        assertThatThrownBy(() -> reader.putState(CC, "a", bytes("x")))
                .isInstanceOf(SimulationException.class)
                .hasMessage("txid [tx1]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed");
    }

    @Test
    void rangeQueriesAreRecordedInTheOrderOpenedNotClosed() throws Exception {
        // Fabric's queryExecutor appends each iterator to itrs when it is created and addRangeQueryInfo walks itrs
        // in that order when the results are taken.
        TxSimulator sim = simulator();
        RangeIterator first = sim.rangeScan(CC, "a", "c");
        RangeIterator second = sim.rangeScan(CC, "c", "");
        RangeIterator third = sim.rangeScan(CC, "b", "d");
        assertThat(first.next()).isPresent();
        assertThat(second.next()).isPresent();
        third.close();
        second.close();
        first.close();
        assertThat(kv(sim.results(), CC).getRangeQueriesInfoList()).extracting(RangeQueryInfo::getStartKey)
                .containsExactly("a", "c", "b");
    }

    @Test
    void aRepeatedRangeQueryIsRecordedOnceAsFirstOpened() throws Exception {
        TxSimulator sim = simulator();
        RangeIterator first = sim.rangeScan(CC, "a", "b");
        RangeIterator other = sim.rangeScan(CC, "c", "d");
        RangeIterator again = sim.rangeScan(CC, "a", "b");
        drain(again);
        drain(other);
        drain(first);
        assertThat(kv(sim.results(), CC).getRangeQueriesInfoList()).extracting(RangeQueryInfo::getStartKey)
                .containsExactly("a", "c");
    }

    @Test
    void aScanStoppedByTheKeysLimitStaysRecordedWithWhatItRead() throws Exception {
        // Fabric never drops an iterator it created: one cut short (totalQueryLimit, an error in Next) is recorded
        // with end_key = the last key returned and itr_exhausted = false.
        TxSimulator sim = new TxSimulator("tx1", CommittedState.of(store), 3);
        RangeIterator scan = sim.rangeScan(CC, "a", "");
        assertThat(scan.next().map(StatePage.Entry::key)).contains("a");
        assertThat(scan.next().map(StatePage.Entry::key)).contains("b");
        assertThat(scan.next().map(StatePage.Entry::key)).contains("c");
        assertThatThrownBy(scan::next).isInstanceOf(SimulationException.class)
                .hasMessage("txid [tx1]: transaction touches more than 3 keys");
        scan.close();
        RangeQueryInfo info = kv(sim.results(), CC).getRangeQueriesInfo(0);
        assertThat(info.getStartKey()).isEqualTo("a");
        assertThat(info.getEndKey()).isEqualTo("c");
        assertThat(info.getItrExhausted()).isFalse();
        assertThat(info.getRawReads().getKvReadsList()).extracting(KVRead::getKey).containsExactly("a", "b", "c");
    }

    @Test
    void theEmptyKeyReadsAsAbsentAndIsRecordedButCannotBeWritten() throws Exception {
        // Fabric on LevelDB: GetState("") finds nothing and records the read. Writes: Fabric's CouchDB refuses the
        // empty key with this message; Banyan's store holds no empty key, so it refuses it too.
        TxSimulator sim = simulator();
        assertThat(sim.getState(CC, "")).isEmpty();
        assertThat(sim.getStateMetadata(CC, "")).isEmpty();
        for (Runnable write : List.<Runnable>of(() -> sim.putState(CC, "", bytes("x")), () -> sim.deleteState(CC, ""),
                () -> sim.setStateMetadata(CC, "", Map.of("VALIDATION_PARAMETER", bytes("p"))))) {
            assertThatThrownBy(write::run).isInstanceOf(SimulationException.class)
                    .hasMessage("invalid key. Empty string is not supported as a key");
        }
        KVRWSet set = kv(sim.results(), CC);
        assertThat(set.getReadsList()).containsExactly(KVRead.newBuilder().setKey("").build());
        assertThat(set.getWritesList()).isEmpty();
        assertThat(set.getMetadataWritesList()).isEmpty();
    }

    @Test
    void aPageSizeOfZeroOrLessDoesNotLimitAPaginatedScan() {
        // Fabric's LevelDB kvScanner limits only when requestedLimit > 0.
        for (int pageSize : new int[] {0, -1}) {
            TxSimulator sim = simulator();
            RangeIterator page = sim.rangeScanWithPagination(CC, "", "", pageSize);
            assertThat(drain(page)).containsExactly("a", "b", "c", "d");
            assertThat(page.bookmark()).isEmpty();
        }
    }

    @Test
    void resultsAreOneSnapshotThatLaterCallsCannotChange() throws Exception {
        TxSimulator sim = simulator();
        Set<String> wrote = ConcurrentHashMap.newKeySet();
        Set<String> read = ConcurrentHashMap.newKeySet();
        Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(4);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.add(Thread.ofPlatform().start(() -> {
                started.countDown();
                for (int i = 0; i < 20_000; i++) {
                    String key = "w" + writer + "-" + i;
                    try {
                        sim.putState(CC, key, bytes("v"));
                        wrote.add(key);
                        sim.getState(CC, key);
                        read.add(key);
                    } catch (SimulationException e) {
                        if (!e.getMessage().equals("txid [tx1]: simulation is complete")) {
                            unexpected.add(e);
                        }
                        return;
                    } catch (RuntimeException e) {
                        unexpected.add(e);
                        return;
                    }
                }
            }));
        }
        started.await();
        TxReadWriteSet snapshot = sim.results();
        for (Thread writer : writers) {
            writer.join(10_000);
        }
        assertThat(unexpected).isEmpty();
        assertThat(sim.results()).isEqualTo(snapshot);
        // Exactly the calls that returned normally are in the set: none after it was taken, none half-applied.
        KVRWSet set = kv(snapshot, CC);
        assertThat(set.getWritesList()).extracting(KVWrite::getKey).containsExactlyInAnyOrderElementsOf(wrote);
        assertThat(set.getReadsList()).extracting(KVRead::getKey).containsExactlyInAnyOrderElementsOf(read);
        assertThatThrownBy(() -> sim.putState(CC, "late", bytes("v"))).isInstanceOf(SimulationException.class);
    }

    @Test
    void emptyNamespacesAreRefused() {
        TxSimulator sim = simulator();
        assertThatThrownBy(() -> sim.putState("", "k", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.getState("", "k")).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> drain(RangeIterator scan) {
        List<String> keys = new ArrayList<>();
        for (Optional<StatePage.Entry> e = scan.next(); e.isPresent(); e = scan.next()) {
            keys.add(e.get().key());
        }
        scan.close();
        return keys;
    }

    private TxSimulator simulator() {
        return new TxSimulator("tx1", CommittedState.of(store));
    }

    private static KVRWSet kv(TxReadWriteSet set, String namespace) throws InvalidProtocolBufferException {
        for (var ns : set.getNsRwsetList()) {
            if (ns.getNamespace().equals(namespace)) {
                return KVRWSet.parseFrom(ns.getRwset());
            }
        }
        throw new AssertionError("no namespace " + namespace + " in " + set);
    }

    private static KVRead read(String key, long block, int tx) {
        return TxSimulator.read(key, Optional.of(new org.banyan.ledger.state.VersionedValue(bytes("?"),
                new Version(block, tx), new TreeMap<>())));
    }

    private static StateUpdate put(String key, String value, long block, int tx) {
        return new StateUpdate(CC, key, false, bytes(value), null, new Version(block, tx));
    }

    private static ByteString bytes(String text) {
        return ByteString.copyFromUtf8(text);
    }
}
