package org.banyan.protocol.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.EndorserTransactions;
import org.banyan.protocol.TxIds;
import org.banyan.crypto.SigningIdentity;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Seeded generator of Fabric-format chains for tests and benchmarks: a genesis block, then blocks of signed
 * endorser transactions whose read/write sets write, overwrite and delete keys in two chaincode namespaces,
 * set key-level metadata, and carry validation codes (mostly VALID, some MVCC_READ_CONFLICT whose writes a
 * ledger must not apply). The same seed yields the same keys, values and validation codes; certificates and
 * (randomised ECDSA) signatures differ from run to run.
 */
public final class TestChains {
    public static final String CHANNEL = "testchannel";
    public static final List<String> NAMESPACES = List.of("asset", "token");

    private final Random random;
    private final int valueBytes;
    private final SigningIdentity client;
    private final List<SigningIdentity> endorsers;
    private final int keySpace;

    /**
     * @param seed makes the chain reproducible
     * @param valueBytes size of each written value
     * @param keySpace number of distinct keys per namespace; small values cause overwrites and deletes
     */
    public TestChains(long seed, int valueBytes, int keySpace) {
        this.random = new Random(seed);
        this.valueBytes = valueBytes;
        this.keySpace = keySpace;
        this.client = identity("Org1MSP", "client", "User1@org1.example.com");
        this.endorsers = List.of(identity("Org1MSP", "peer", "peer0.org1.example.com"),
                identity("Org2MSP", "peer", "peer0.org2.example.com"));
    }

    /** A real identity from a throwaway CA: tests that build chains need the bytes, not an MSP. */
    public static SigningIdentity identity(String mspId, String nodeOu, String commonName) {
        return LocalSigningIdentity.ephemeral(mspId, nodeOu, commonName, KeyType.ECDSA_P256,
                java.time.Instant.parse("2024-01-01T00:00:00Z"));
    }

    /** Block 0: one CONFIG envelope. Replaced by the real channel configuration genesis when one is given. */
    public Block genesis() {
        byte[] nonce = new byte[TxIds.NONCE_BYTES];
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.CONFIG_VALUE).setChannelId(CHANNEL).setTxId(TxIds.compute(nonce, new byte[0]))
                .build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(SignatureHeader.newBuilder().setNonce(ByteString.copyFrom(nonce))
                                .build().toByteString()))
                .build();
        Envelope envelope = Envelope.newBuilder().setPayload(payload.toByteString()).build();
        Block block = Blocks.create(0, ByteString.EMPTY, List.of(envelope.toByteString()));
        return Blocks.withValidationCodes(Blocks.withLastConfig(block, 0), List.of(TxValidationCode.VALID));
    }

    /** The next block after {@code previous} with {@code txCount} transactions and their validation codes. */
    public Block next(Block previous, int txCount) {
        List<ByteString> envelopes = new ArrayList<>(txCount);
        List<TxValidationCode> codes = new ArrayList<>(txCount);
        long blockNumber = previous.getHeader().getNumber() + 1;
        for (int i = 0; i < txCount; i++) {
            envelopes.add(transaction(blockNumber, i).toByteString());
            codes.add(random.nextInt(20) == 0 ? TxValidationCode.MVCC_READ_CONFLICT : TxValidationCode.VALID);
        }
        Block block = Blocks.withLastConfig(Blocks.next(previous, envelopes), 0);
        return Blocks.withValidationCodes(block, codes);
    }

    /** Genesis plus {@code blockCount - 1} blocks of {@code txsPerBlock} transactions. */
    public List<Block> chain(int blockCount, int txsPerBlock) {
        List<Block> blocks = new ArrayList<>(blockCount);
        blocks.add(genesis());
        while (blocks.size() < blockCount) {
            blocks.add(next(blocks.get(blocks.size() - 1), txsPerBlock));
        }
        return blocks;
    }

    /** One signed endorser transaction; the read/write set mixes writes, deletes and metadata writes. */
    public Envelope transaction(long blockNumber, int txIndex) {
        TxReadWriteSet.Builder rwSet = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV);
        String namespace = NAMESPACES.get(random.nextInt(NAMESPACES.size()));
        KVRWSet.Builder kv = KVRWSet.newBuilder();
        int writes = 1 + random.nextInt(3);
        for (int w = 0; w < writes; w++) {
            String key = "key" + random.nextInt(keySpace);
            kv.addReads(KVRead.newBuilder().setKey(key));
            if (random.nextInt(10) == 0) {
                kv.addWrites(KVWrite.newBuilder().setKey(key).setIsDelete(true));
            } else {
                byte[] value = new byte[valueBytes];
                random.nextBytes(value);
                kv.addWrites(KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFrom(value)));
            }
            if (random.nextInt(25) == 0) {
                kv.addMetadataWrites(KVMetadataWrite.newBuilder().setKey(key).addEntries(KVMetadataEntry.newBuilder()
                        .setName("VALIDATION_PARAMETER")
                        .setValue(ByteString.copyFrom("policy-" + blockNumber, StandardCharsets.UTF_8))));
            }
        }
        rwSet.addNsRwset(NsReadWriteSet.newBuilder().setNamespace(namespace).setRwset(kv.build().toByteString()));
        byte[] nonce = new byte[TxIds.NONCE_BYTES];
        random.nextBytes(nonce);
        EndorserTransactions.Invocation invocation = new EndorserTransactions.Invocation(CHANNEL, namespace,
                List.of(ByteString.copyFromUtf8("put"), ByteString.copyFromUtf8("b" + blockNumber + "t" + txIndex)),
                rwSet.build(), Timestamp.newBuilder().setSeconds(1_700_000_000L + blockNumber).build(), nonce);
        return EndorserTransactions.build(invocation, client, List.copyOf(endorsers));
    }

}
