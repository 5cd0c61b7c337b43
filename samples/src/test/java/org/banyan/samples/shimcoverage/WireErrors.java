package org.banyan.samples.shimcoverage;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.traces.TracesProvider;

/**
 * Keeps the text of each {@code ERROR} the peer sends a chaincode, by transaction. Fabric's Java shim 2.5 drops
 * that text (a failed request throws {@code [txid]Unsuccessful response received.}); Go and Node chaincode see it.
 * Installed through the shim's own extension point — {@code CHAINCODE_TRACES_PROVIDER}, whose gRPC client
 * interceptor the shim adds to its connection — so the shim stays unmodified.
 */
public final class WireErrors implements TracesProvider {
    /** Bounded by the transactions a test runs at once: each is taken when its chaincode call ends. */
    private static final Map<String, String> LAST_ERROR_BY_TX = new ConcurrentHashMap<>();
    private static final int TRANSACTIONS_MAX = 1_000;

    /** The last error the peer sent for the transaction, removed. */
    static Optional<String> take(String txId) {
        return Optional.ofNullable(LAST_ERROR_BY_TX.remove(txId));
    }

    @Override
    public ClientInterceptor createInterceptor() {
        return new ClientInterceptor() {
            @Override
            public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options,
                                                         Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<A> listener, Metadata headers) {
                        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                            @Override
                            public void onMessage(A message) {
                                record(message);
                                super.onMessage(message);
                            }
                        }, headers);
                    }
                };
            }
        };
    }

    private static void record(Object message) {
        if (message instanceof ChaincodeMessage m && m.getType() == ChaincodeMessage.Type.ERROR
                && !m.getTxid().isEmpty() && LAST_ERROR_BY_TX.size() < TRANSACTIONS_MAX) {
            LAST_ERROR_BY_TX.put(m.getTxid(), m.getPayload().toStringUtf8());
        }
    }
}
