package org.banyan.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.banyan.ledger.state.InMemoryStateStore;
import org.banyan.ledger.state.StatePage;
import org.banyan.ledger.state.Version;
import org.banyan.ledger.state.VersionedValue;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.ParsedTransaction;
import org.banyan.protocol.TransactionParser;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * {@link BlockUpdates} reduces a block to one update per key; applying those must give the same state as the
 * obvious reference: apply every VALID transaction's writes one after another.
 */
class BlockUpdatesPropertyTest {

    @Property(tries = 8)
    void reducedUpdatesEqualTransactionByTransactionApplication(@ForAll @LongRange(min = 0, max = 1_000_000) long seed)
            throws Exception {
        // A tiny key space makes overwrites, deletes and metadata writes of the same key within a block common.
        List<Block> chain = new TestChains(seed, 8, 4).chain(15, 8);
        Map<NamespacedKey, VersionedValue> reference = new TreeMap<>();
        try (InMemoryStateStore state = new InMemoryStateStore()) {
            for (Block block : chain) {
                state.apply(block.getHeader().getNumber(), BlockUpdates.compute(block, state::get).stateUpdates());
                applyReference(block, reference);
            }
            for (String namespace : TestChains.NAMESPACES) {
                StatePage page = state.range(namespace, "", "", 1_000, "");
                Map<NamespacedKey, VersionedValue> actual = new TreeMap<>();
                page.entries().forEach(e -> actual.put(new NamespacedKey(namespace, e.key()), e.value()));
                Map<NamespacedKey, VersionedValue> expected = new TreeMap<>();
                reference.forEach((key, value) -> {
                    if (key.namespace().equals(namespace)) {
                        expected.put(key, value);
                    }
                });
                assertThat(actual).as("seed %d namespace %s", seed, namespace).isEqualTo(expected);
            }
        }
    }

    private static void applyReference(Block block, Map<NamespacedKey, VersionedValue> state) throws Exception {
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            if (Blocks.validationCode(block, i) != TxValidationCode.VALID) {
                continue;
            }
            Version version = new Version(block.getHeader().getNumber(), i);
            ParsedTransaction tx = TransactionParser.parse(Blocks.envelope(block, i));
            for (ParsedTransaction.NamespaceRwSet ns : tx.writes()) {
                Set<String> deleted = new HashSet<>();
                for (KVWrite write : ns.rwSet().getWritesList()) {
                    NamespacedKey key = new NamespacedKey(ns.namespace(), write.getKey());
                    if (write.getIsDelete()) {
                        state.remove(key);
                        deleted.add(write.getKey());
                    } else {
                        VersionedValue existing = state.get(key);
                        state.put(key, new VersionedValue(write.getValue(), version,
                                existing == null ? new TreeMap<>() : existing.metadata()));
                        deleted.remove(write.getKey());
                    }
                }
                for (KVMetadataWrite write : ns.rwSet().getMetadataWritesList()) {
                    NamespacedKey key = new NamespacedKey(ns.namespace(), write.getKey());
                    VersionedValue existing = state.get(key);
                    if (existing != null && !deleted.contains(write.getKey())) {
                        SortedMap<String, ByteString> metadata = new TreeMap<>();
                        for (KVMetadataEntry entry : write.getEntriesList()) {
                            metadata.put(entry.getName(), entry.getValue());
                        }
                        state.put(key, new VersionedValue(existing.value(), version, metadata));
                    }
                }
            }
        }
    }
}
