package org.banyan.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.EndorserTransactions;
import org.banyan.protocol.TxIds;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** Hand-written blocks for ledger tests: each transaction's writes and validation code spelled out. */
final class TestBlocks {
    static final String CHANNEL = "testchannel";
    private static final org.banyan.crypto.SigningIdentity CLIENT = TestChains.identity("Org1MSP", "client", "User1");
    private static final AtomicLong NONCES = new AtomicLong();

    private TestBlocks() {}

    /** One transaction: its namespace writes and its validation code. */
    record Tx(String namespace, KVRWSet rwSet, TxValidationCode code, Envelope envelope) {}

    static KVWrite put(String key, String value) {
        return KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)).build();
    }

    static KVWrite delete(String key) {
        return KVWrite.newBuilder().setKey(key).setIsDelete(true).build();
    }

    static KVMetadataWrite metadata(String key, String name, String value) {
        return KVMetadataWrite.newBuilder().setKey(key)
                .addEntries(KVMetadataEntry.newBuilder().setName(name).setValue(ByteString.copyFromUtf8(value)))
                .build();
    }

    static Tx tx(TxValidationCode code, String namespace, List<KVWrite> writes, List<KVMetadataWrite> metadataWrites) {
        KVRWSet rwSet = KVRWSet.newBuilder().addAllWrites(writes).addAllMetadataWrites(metadataWrites).build();
        TxReadWriteSet results = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV)
                .addNsRwset(NsReadWriteSet.newBuilder().setNamespace(namespace).setRwset(rwSet.toByteString()))
                .build();
        byte[] nonce = new byte[TxIds.NONCE_BYTES];
        long n = NONCES.incrementAndGet();
        for (int i = 0; i < 8; i++) {
            nonce[i] = (byte) (n >>> (8 * i));
        }
        Envelope envelope = EndorserTransactions.build(new EndorserTransactions.Invocation(CHANNEL, namespace,
                List.of(ByteString.copyFromUtf8("invoke")), results, Timestamp.newBuilder().setSeconds(n).build(),
                nonce), CLIENT, List.of());
        return new Tx(namespace, rwSet, code, envelope);
    }

    static Tx valid(String namespace, KVWrite... writes) {
        return tx(TxValidationCode.VALID, namespace, List.of(writes), List.of());
    }

    static Block block(Block previous, Tx... txs) {
        List<ByteString> envelopes = new ArrayList<>();
        List<TxValidationCode> codes = new ArrayList<>();
        for (Tx tx : txs) {
            envelopes.add(tx.envelope().toByteString());
            codes.add(tx.code());
        }
        return Blocks.withValidationCodes(Blocks.next(previous, envelopes), codes);
    }
}
