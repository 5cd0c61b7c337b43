package org.banyan.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.banyan.crypto.SigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.state.VersionedValue;
import org.banyan.protocol.CompositeKeys;
import org.banyan.protocol.EndorserTransactions;
import org.banyan.protocol.TxIds;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;

/**
 * The demo's digital-currency workload: mints a balance for every account, then transfers between random
 * accounts. Each transaction is simulated against the committed state (reads carry the versions they saw),
 * signed by a client and endorsed by a majority of the organisations' peers, exactly the structures a
 * Fabric client submits. Until chaincode execution lands (a later issue) the transfer logic lives here.
 */
final class DemoLedgerWorkload {
    static final String NAMESPACE = "token";
    static final String OWNER_INDEX = "owner~account";
    static final long MINT_AMOUNT = 1_000;

    private final String channelId;
    private final int accountCount;
    private final List<String> accountOwners;
    private final Random random;
    private final SecureRandom nonces;

    DemoLedgerWorkload(String channelId, int accountCount, List<String> orgMspIds, long seed) {
        this.channelId = channelId;
        this.accountCount = accountCount;
        this.random = new Random(seed);
        this.nonces = new SecureRandom();
        this.accountOwners = new ArrayList<>(accountCount);
        for (int i = 0; i < accountCount; i++) {
            accountOwners.add(orgMspIds.get(i % orgMspIds.size()));
        }
    }

    static String account(int index) {
        return String.format("acct-%05d", index);
    }

    /** Mint transactions for accounts [from, to): each writes the balance and the owner index entry. */
    List<Envelope> mints(int from, int to, SigningIdentity client, List<SigningIdentity> endorsers, long seconds) {
        List<Envelope> envelopes = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            KVRWSet.Builder kv = KVRWSet.newBuilder()
                    .addReads(KVRead.newBuilder().setKey(account(i)))   // read of a missing key: no version
                    .addWrites(write(account(i), MINT_AMOUNT))
                    .addWrites(KVWrite.newBuilder()
                            .setKey(CompositeKeys.create(OWNER_INDEX, List.of(accountOwners.get(i), account(i))))
                            .setValue(ByteString.copyFrom(new byte[] {0})));
            envelopes.add(envelope(kv.build(), "mint", account(i), client, endorsers, seconds));
        }
        return envelopes;
    }

    /** A transfer transaction and the accounts it touches. */
    record Transfer(int from, int to, Envelope envelope) {}

    /**
     * {@code count} transfers between distinct accounts, none sharing an account with another in the same
     * block (so none of them conflicts with a sibling), simulated against the ledger's committed state.
     */
    List<Transfer> transfers(ChannelLedger ledger, int count, SigningIdentity client, List<SigningIdentity> endorsers,
                             long seconds) {
        if (count * 2 > accountCount) {
            throw new IllegalArgumentException(count + " transfers need " + 2 * count + " accounts, have " + accountCount);
        }
        Set<Integer> used = new HashSet<>();
        List<Transfer> transfers = new ArrayList<>(count);
        while (transfers.size() < count) {
            int from = random.nextInt(accountCount);
            int to = random.nextInt(accountCount);
            if (from == to || used.contains(from) || used.contains(to)) {
                continue;
            }
            used.add(from);
            used.add(to);
            transfers.add(transfer(ledger, from, to, client, endorsers, seconds));
        }
        return transfers;
    }

    /** One transfer of a random amount from one account to another, simulated on committed state. */
    Transfer transfer(ChannelLedger ledger, int from, int to, SigningIdentity client, List<SigningIdentity> endorsers,
                      long seconds) {
        VersionedValue fromValue = ledger.state(NAMESPACE, account(from)).orElseThrow();
        VersionedValue toValue = ledger.state(NAMESPACE, account(to)).orElseThrow();
        long fromBalance = balance(Optional.of(fromValue));
        long amount = fromBalance == 0 ? 0 : 1 + random.nextInt((int) Math.min(fromBalance, 100));
        KVRWSet kv = KVRWSet.newBuilder()
                .addReads(read(account(from), fromValue))
                .addReads(read(account(to), toValue))
                .addWrites(write(account(from), fromBalance - amount))
                .addWrites(write(account(to), balance(Optional.of(toValue)) + amount))
                .build();
        return new Transfer(from, to, envelope(kv, "transfer", account(from) + "->" + account(to) + ":" + amount,
                client, endorsers, seconds));
    }

    static long balance(Optional<VersionedValue> value) {
        return value.map(v -> Long.parseLong(v.value().toString(StandardCharsets.UTF_8))).orElse(0L);
    }

    private static KVRead read(String key, VersionedValue value) {
        return KVRead.newBuilder().setKey(key).setVersion(org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version
                .newBuilder().setBlockNum(value.version().blockNumber()).setTxNum(value.version().txNumber())).build();
    }

    private static KVWrite write(String key, long balance) {
        return KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(Long.toString(balance))).build();
    }

    private Envelope envelope(KVRWSet kv, String function, String argument, SigningIdentity client,
                              List<SigningIdentity> endorsers, long seconds) {
        TxReadWriteSet rwSet = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV)
                .addNsRwset(NsReadWriteSet.newBuilder().setNamespace(NAMESPACE).setRwset(kv.toByteString()))
                .build();
        EndorserTransactions.Invocation invocation = new EndorserTransactions.Invocation(channelId, NAMESPACE,
                List.of(ByteString.copyFromUtf8(function), ByteString.copyFromUtf8(argument)), rwSet,
                Timestamp.newBuilder().setSeconds(seconds).build(), TxIds.newNonce(nonces));
        return EndorserTransactions.build(invocation, client, endorsers);
    }
}
