package org.banyan.ledger.validation;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.banyan.crypto.SigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.LedgerOptions;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.EndorserTransactions;
import org.banyan.protocol.TxIds;
import org.banyan.protocol.testing.GeneratedChannel;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * A channel of Org1 and Org2 (generated crypto, made once per JVM) with a ledger on in-memory stores: builds
 * signed endorser transactions in namespace {@value #NAMESPACE}, validates blocks and commits them.
 */
final class ValidationFixture implements AutoCloseable {
    static final String CHANNEL = TestChains.CHANNEL;
    static final String NAMESPACE = "asset";
    static final GeneratedChannel GENERATED = GeneratedChannel.create(CHANNEL, 2, 1, 1);
    private static final AtomicLong NONCES = new AtomicLong();

    final ChannelLedger ledger;
    /** Inside every generated certificate's validity: taken from a certificate, never from the clock. */
    final Instant now = GENERATED.user(1, 1).certificate().getNotBefore().toInstant().plusSeconds(60);
    private Block last;

    ValidationFixture(Path dir) {
        ledger = ChannelLedger.create(dir, new TestChains(1, 8, 4).genesis(),
                LedgerOptions.defaults().withStores(LedgerOptions.IN_MEMORY));
        last = ledger.block(0).orElseThrow();
    }

    static SigningIdentity client() {
        return GENERATED.user(1, 1);
    }

    static SigningIdentity peer(int org) {
        return GENERATED.peer(org);
    }

    static KVRead read(String key, long block, int tx) {
        return KVRead.newBuilder().setKey(key).setVersion(Version.newBuilder().setBlockNum(block).setTxNum(tx)).build();
    }

    static KVRead readAbsent(String key) {
        return KVRead.newBuilder().setKey(key).build();
    }

    static KVWrite write(String key, String value) {
        return KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)).build();
    }

    /** A transaction by {@link #client()} with the read/write set in {@link #NAMESPACE}, endorsed as given. */
    static Envelope tx(KVRWSet rwSet, SigningIdentity... endorsers) {
        return tx(CHANNEL, rwSet, endorsers);
    }

    static Envelope tx(String channel, KVRWSet rwSet, SigningIdentity... endorsers) {
        TxReadWriteSet results = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV)
                .addNsRwset(NsReadWriteSet.newBuilder().setNamespace(NAMESPACE).setRwset(rwSet.toByteString()))
                .build();
        byte[] nonce = new byte[TxIds.NONCE_BYTES];
        long n = NONCES.incrementAndGet();
        for (int i = 0; i < Long.BYTES; i++) {
            nonce[i] = (byte) (n >>> (8 * i));
        }
        return EndorserTransactions.build(new EndorserTransactions.Invocation(channel, NAMESPACE,
                List.of(ByteString.copyFromUtf8("invoke")), results, Timestamp.newBuilder().setSeconds(n).build(), nonce),
                client(), List.of(endorsers));
    }

    /** The transaction with endorsement {@code index}'s signature damaged, re-signed by the client. */
    static Envelope forgeEndorsement(Envelope envelope, int index) throws InvalidProtocolBufferException {
        Payload payload = Payload.parseFrom(envelope.getPayload());
        Transaction transaction = Transaction.parseFrom(payload.getData());
        TransactionAction action = transaction.getActions(0);
        ChaincodeActionPayload actionPayload = ChaincodeActionPayload.parseFrom(action.getPayload());
        ChaincodeActionPayload.Builder forged = actionPayload.toBuilder();
        var endorsement = forged.getActionBuilder().getEndorsementsBuilder(index);
        endorsement.setSignature(flipLastByte(endorsement.getSignature()));
        Transaction forgedTransaction = transaction.toBuilder()
                .setActions(0, action.toBuilder().setPayload(forged.build().toByteString())).build();
        byte[] forgedPayload = payload.toBuilder().setData(forgedTransaction.toByteString()).build().toByteArray();
        return Envelope.newBuilder().setPayload(ByteString.copyFrom(forgedPayload))
                .setSignature(ByteString.copyFrom(client().sign(forgedPayload))).build();
    }

    static ByteString flipLastByte(ByteString bytes) {
        byte[] copy = bytes.toByteArray();
        copy[copy.length - 1] ^= 1;
        return ByteString.copyFrom(copy);
    }

    /** {@code AND('<msp1>.peer', '<msp2>.peer', ...)} (all of the roles). */
    static SignaturePolicyEnvelope allPeers(String... mspIds) {
        SignaturePolicyEnvelope.Builder envelope = SignaturePolicyEnvelope.newBuilder().setVersion(0);
        SignaturePolicy.NOutOf.Builder all = SignaturePolicy.NOutOf.newBuilder().setN(mspIds.length);
        for (int i = 0; i < mspIds.length; i++) {
            envelope.addIdentities(MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                    .setPrincipal(MSPRole.newBuilder().setMspIdentifier(mspIds[i]).setRole(MSPRole.MSPRoleType.PEER)
                            .build().toByteString()));
            all.addRules(SignaturePolicy.newBuilder().setSignedBy(i));
        }
        return envelope.setRule(SignaturePolicy.newBuilder().setNOutOf(all)).build();
    }

    /** The next block over the given envelopes (not committed). */
    Block block(List<ByteString> envelopes) {
        return Blocks.next(last, envelopes);
    }

    BlockValidation validate(BlockValidator validator, Block block) {
        return validator.validate(block, CommittedLedger.of(ledger), now);
    }

    /** Validates the next block over the transactions and commits it; returns the codes. */
    List<TxValidationCode> commit(BlockValidator validator, Envelope... txs) {
        List<ByteString> envelopes = new ArrayList<>();
        for (Envelope tx : txs) {
            envelopes.add(tx.toByteString());
        }
        return commitBytes(validator, envelopes);
    }

    List<TxValidationCode> commitBytes(BlockValidator validator, List<ByteString> envelopes) {
        Block block = block(envelopes);
        BlockValidation validation = validate(validator, block);
        last = validation.applyTo(block);
        ledger.commit(last);
        return validation.codes();
    }

    static BlockValidator validator(Executor executor) {
        return BlockValidator.of(GENERATED.config(), executor);
    }

    @Override
    public void close() {
        ledger.close();
    }
}
