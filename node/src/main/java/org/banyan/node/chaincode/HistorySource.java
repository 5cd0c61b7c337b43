package org.banyan.node.chaincode;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.history.HistoryEntry;
import org.banyan.ledger.history.HistoryStore;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.ParsedTransaction;
import org.banyan.protocol.TransactionParser;
import org.hyperledger.fabric.protos.ledger.queryresult.KeyModification;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;

/**
 * {@code GetHistoryForKey}: the key's committed writes, newest first as Fabric 2.x returns them, each as a
 * {@code KeyModification} (tx ID, value, timestamp, is_delete) read from the block that holds the write. History
 * reads are not recorded in the read/write set (Fabric does not re-check them at commit). At most
 * {@link HistoryStore#LIMIT_MAX} writes of one key are returned (the oldest ones when there are more).
 */
final class HistorySource implements QueryCursor.Source {
    private final ChannelLedger ledger;
    private final String namespace;
    private final String key;
    private final List<HistoryEntry> newestFirst;
    private int next;

    HistorySource(ChannelLedger ledger, String namespace, String key) {
        this.ledger = ledger;
        this.namespace = namespace;
        this.key = key;
        // The empty key is never written (the simulator refuses it), so it has no history, as in Fabric.
        List<HistoryEntry> entries = key.isEmpty()
                ? new ArrayList<>() : new ArrayList<>(ledger.history(namespace, key, HistoryStore.LIMIT_MAX));
        Collections.reverse(entries);
        this.newestFirst = entries;
    }

    @Override
    public Optional<ByteString> next() {
        return nextModification().map(KeyModification::toByteString);
    }

    /** The next write, newest first, as the message {@link #next()} encodes; empty at the end. */
    Optional<KeyModification> nextModification() {
        if (next >= newestFirst.size()) {
            return Optional.empty();
        }
        return Optional.of(modification(newestFirst.get(next++)));
    }

    @Override
    public String bookmark() {
        return "";
    }

    @Override
    public void close() {
        next = newestFirst.size();
    }

    private KeyModification modification(HistoryEntry entry) {
        ParsedTransaction tx;
        try {
            tx = TransactionParser.parse(Blocks.envelope(ledger.block(entry.blockNumber()).orElseThrow(),
                    entry.txNumber()));
        } catch (MalformedTransactionException e) {
            throw new AssertionError("committed transaction (" + entry.blockNumber() + ", " + entry.txNumber()
                    + ") in the history of " + namespace + "/" + key + " does not parse", e);
        }
        KeyModification.Builder modification = KeyModification.newBuilder()
                .setTxId(tx.txId()).setTimestamp(tx.timestamp()).setIsDelete(entry.delete());
        if (!entry.delete()) {
            modification.setValue(writtenValue(tx));
        }
        return modification.build();
    }

    /** The value the transaction wrote to the key (its last write, as commit applies it). */
    private ByteString writtenValue(ParsedTransaction tx) {
        ByteString value = null;
        for (ParsedTransaction.NamespaceRwSet ns : tx.writes()) {
            if (!ns.namespace().equals(namespace)) {
                continue;
            }
            for (KVWrite write : ns.rwSet().getWritesList()) {
                if (write.getKey().equals(key)) {
                    value = write.getValue();
                }
            }
        }
        if (value == null) {
            // A metadata-only write is in the history too; its value is the key's value then, which the block
            // does not carry. Fabric's history has the same gap for metadata writes.
            return ByteString.EMPTY;
        }
        return value;
    }
}
