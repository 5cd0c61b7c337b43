package org.banyan.node.local;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.util.List;
import org.banyan.crypto.SigningIdentity;
import org.banyan.protocol.EndorserTransactions;
import org.banyan.protocol.TxIds;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;

/**
 * Signed endorser envelopes for a local network (the demo, tests and benchmarks), and free loopback ports for its
 * layout. Each envelope writes one key in namespace {@code asset} and carries the given peers' endorsements: the
 * peers of a majority of the organisations satisfy the channel's default endorsement policy, so the transaction
 * commits VALID; with none it is ordered and then marked ENDORSEMENT_POLICY_FAILURE.
 */
public final class SampleEnvelopes {
    private SampleEnvelopes() {}

    /**
     * A signed endorser transaction writing {@code key-i} in namespace {@code asset}, unique per
     * {@code (client, i)}, endorsed by {@code endorsers}.
     */
    public static Envelope write(String channelId, SigningIdentity client, long i, int valueBytes,
            List<? extends SigningIdentity> endorsers) {
        byte[] value = new byte[valueBytes];
        for (int b = 0; b < valueBytes; b++) {
            value[b] = (byte) ('a' + (i + b) % 26);
        }
        KVRWSet rwSet = KVRWSet.newBuilder()
                .addWrites(KVWrite.newBuilder().setKey("key-" + i).setValue(ByteString.copyFrom(value)))
                .build();
        TxReadWriteSet results = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV)
                .addNsRwset(NsReadWriteSet.newBuilder().setNamespace("asset").setRwset(rwSet.toByteString()))
                .build();
        byte[] nonce = new byte[TxIds.NONCE_BYTES];
        for (int b = 0; b < 8; b++) {
            nonce[b] = (byte) (i >>> (8 * b));
        }
        return EndorserTransactions.build(new EndorserTransactions.Invocation(channelId, "asset",
                List.of(ByteString.copyFromUtf8("put")), results, Timestamp.newBuilder().setSeconds(1_700_000_000L + i)
                        .build(), nonce), client, List.copyOf(endorsers));
    }

    /**
     * A base port such that every port of the {@link LocalNetwork} layout ({@link LocalNetwork#ports}) is free on
     * 127.0.0.1 for {@code count} nodes right now; another process could still take one. The range stays below
     * Linux's ephemeral ports (32768 and up by default), where the nodes' own outgoing connections could take a
     * port a node is about to listen on.
     */
    public static int freeBasePort(int count) {
        int highest = LocalNetwork.PORT_STRIDE * (LocalNetwork.PORTS_PER_NODE - 1) + count;
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20_000 + (int) (Math.random() * (32_768 - 20_000 - highest));
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no free range of ports found on 127.0.0.1");
    }

    private static boolean allFree(int base, int count) {
        List<Integer> ports = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.addAll(LocalNetwork.ports(base, i));
        }
        return LoopbackPorts.busy(ports).isEmpty();
    }
}
