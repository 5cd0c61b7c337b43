package org.banyan.node.gateway;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.gateway.CommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.CommitStatusResponse;
import org.hyperledger.fabric.protos.gateway.EndorseRequest;
import org.hyperledger.fabric.protos.gateway.EndorseResponse;
import org.hyperledger.fabric.protos.gateway.EvaluateRequest;
import org.hyperledger.fabric.protos.gateway.EvaluateResponse;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.SignedChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.SubmitRequest;
import org.hyperledger.fabric.protos.gateway.SubmitResponse;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * Fabric's {@code gateway.Gateway} gRPC service over a {@link Gateway}, for the unmodified {@code fabric-gateway}
 * clients (Java, Go, Node). Each unary call is admitted by the {@link RequestLimiter} under the caller's identity;
 * errors are gRPC statuses with Fabric's {@code ErrorDetail}s attached as status details, as Fabric's gateway sends
 * them. Chaincode event streams each hold one thread of a bounded pool ({@code streamsMax}); past it a stream is
 * refused RESOURCE_EXHAUSTED.
 */
public final class GatewayService extends GatewayGrpc.GatewayImplBase implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GatewayService.class.getName());
    /** Told how each unary call ended (for metrics); the method name is fixed, never the client's. */
    public interface Observer {
        void answered(String method, io.grpc.Status.Code code, long durationNanos);
    }

    private final Gateway gateway;
    private final RequestLimiter limiter;
    private final Observer observer;
    private final int streamsMax;
    private final ExecutorService streams;

    public GatewayService(Gateway gateway, RequestLimiter limiter, int streamsMax, Observer observer) {
        this.gateway = gateway;
        this.limiter = limiter;
        this.observer = observer;
        this.streamsMax = streamsMax;
        this.streams = new ThreadPoolExecutor(0, streamsMax, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread thread = new Thread(r, "banyan-gateway-events");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A unary call's work. */
    private interface Call<R> {
        R run() throws GatewayException;
    }

    private <R> void unary(String method, com.google.protobuf.Message request, Object client, StreamObserver<R> out,
            Call<R> call) {
        long startNanos = System.nanoTime();
        R response;
        try (RequestLimiter.Permit permit = limiter.admit(client)) {
            checkSize(request);
            response = call.run();
        } catch (GatewayException e) {
            observer.answered(method, e.code(), System.nanoTime() - startNanos);
            out.onError(toStatus(e));
            return;
        } catch (RuntimeException e) {
            // A bug of ours, not the client's: say so, log it, and keep serving.
            LOG.log(System.Logger.Level.ERROR, "gateway " + method + " failed unexpectedly", e);
            observer.answered(method, io.grpc.Status.Code.INTERNAL, System.nanoTime() - startNanos);
            out.onError(io.grpc.Status.INTERNAL.withDescription("the gateway failed unexpectedly (" + e
                    + "); the node's log has the details").asRuntimeException());
            return;
        }
        observer.answered(method, io.grpc.Status.Code.OK, System.nanoTime() - startNanos);
        out.onNext(response);
        out.onCompleted();
    }

    @Override
    public void evaluate(EvaluateRequest request, StreamObserver<EvaluateResponse> out) {
        unary("Evaluate", request, creator(request.getProposedTransaction()), out, () -> EvaluateResponse.newBuilder()
                .setResult(gateway.evaluate(request.getProposedTransaction(), request.getTargetOrganizationsList()))
                .build());
    }

    @Override
    public void endorse(EndorseRequest request, StreamObserver<EndorseResponse> out) {
        unary("Endorse", request, creator(request.getProposedTransaction()), out, () -> EndorseResponse.newBuilder()
                .setPreparedTransaction(gateway.endorse(request.getProposedTransaction(),
                        request.getEndorsingOrganizationsList()))
                .build());
    }

    @Override
    public void submit(SubmitRequest request, StreamObserver<SubmitResponse> out) {
        unary("Submit", request, creator(request.getPreparedTransaction()), out, () -> {
            if (!request.hasPreparedTransaction()) {
                throw new GatewayException(io.grpc.Status.Code.INVALID_ARGUMENT, "a prepared transaction is required");
            }
            gateway.submit(request.getChannelId(), request.getPreparedTransaction());
            return SubmitResponse.getDefaultInstance();
        });
    }

    @Override
    public void commitStatus(SignedCommitStatusRequest signed, StreamObserver<CommitStatusResponse> out) {
        CommitStatusRequest request;
        try {
            request = CommitStatusRequest.parseFrom(signed.getRequest());
        } catch (InvalidProtocolBufferException e) {
            out.onError(io.grpc.Status.INVALID_ARGUMENT.withDescription("invalid status request: " + e.getMessage())
                    .asRuntimeException());
            return;
        }
        unary("CommitStatus", signed, request.getIdentity(), out, () -> {
            if (signed.getRequest().isEmpty()) {
                throw new GatewayException(io.grpc.Status.Code.INVALID_ARGUMENT, "a commit status request is required");
            }
            gateway.checkReader(request.getChannelId(), signed.getRequest(), request.getIdentity(),
                    signed.getSignature());
            Gateway.CommitStatus status = gateway.commitStatus(request.getChannelId(), request.getTransactionId(),
                    remainingMillis());
            return CommitStatusResponse.newBuilder().setResult(status.code()).setBlockNumber(status.blockNumber())
                    .build();
        });
    }

    @Override
    public void chaincodeEvents(SignedChaincodeEventsRequest signed, StreamObserver<ChaincodeEventsResponse> out) {
        ChaincodeEventsRequest request;
        try {
            if (signed.getRequest().isEmpty()) {
                throw new GatewayException(io.grpc.Status.Code.INVALID_ARGUMENT, "a chaincode events request is required");
            }
            try {
                request = ChaincodeEventsRequest.parseFrom(signed.getRequest());
            } catch (InvalidProtocolBufferException e) {
                throw new GatewayException(io.grpc.Status.Code.INVALID_ARGUMENT,
                        "invalid chaincode events request: " + e.getMessage());
            }
            try (RequestLimiter.Permit permit = limiter.admit(request.getIdentity())) {
                checkSize(signed);
                gateway.checkReader(request.getChannelId(), signed.getRequest(), request.getIdentity(),
                        signed.getSignature());
            }
        } catch (GatewayException e) {
            out.onError(toStatus(e));
            return;
        }
        ServerCallStreamObserver<ChaincodeEventsResponse> call = (ServerCallStreamObserver<ChaincodeEventsResponse>) out;
        try {
            streams.execute(() -> streamEvents(request, call));
        } catch (RejectedExecutionException e) {
            out.onError(io.grpc.Status.RESOURCE_EXHAUSTED.withDescription("too many event streams: this node serves "
                    + "at most " + streamsMax + " at once; retry later").asRuntimeException());
        }
    }

    private void streamEvents(ChaincodeEventsRequest request, ServerCallStreamObserver<ChaincodeEventsResponse> call) {
        try {
            ChaincodeEvents.stream(gateway.channel(request.getChannelId()), request, new ChaincodeEvents.Sink() {
                @Override
                public boolean open() {
                    return !call.isCancelled();
                }

                @Override
                public void send(ChaincodeEventsResponse response) {
                    call.onNext(response);
                }
            }, gateway.settings().streamIdleTimeoutMillis(), () -> System.nanoTime() / 1_000_000);
            if (!call.isCancelled()) {
                call.onCompleted();
            }
        } catch (GatewayException e) {
            if (!call.isCancelled()) {
                call.onError(toStatus(e));
            }
        } catch (InterruptedException e) {
            if (!call.isCancelled()) {
                call.onError(io.grpc.Status.UNAVAILABLE.withDescription("node shutting down").asRuntimeException());
            }
        } catch (RuntimeException e) {
            if (!call.isCancelled()) {
                call.onError(io.grpc.Status.ABORTED.withDescription(e.toString()).asRuntimeException());
            }
        }
    }

    /**
     * The gateway's own request limit ({@code gateway.requestBytesMax}), checked on the whole decoded request so
     * the client hears exactly why; the gRPC transport's limit (Fabric's 100 MiB) stays above it for the peer and
     * orderer services that carry chaincode packages.
     */
    private void checkSize(com.google.protobuf.Message request) throws GatewayException {
        int bytes = request.getSerializedSize();
        if (bytes > gateway.settings().requestBytesMax()) {
            throw new GatewayException(io.grpc.Status.Code.RESOURCE_EXHAUSTED, "request of " + bytes
                    + " bytes exceeds this node's limit of " + gateway.settings().requestBytesMax()
                    + " bytes (gateway.requestBytesMax)");
        }
    }

    /** What is left of the call's deadline, or the gateway's default. */
    private long remainingMillis() {
        io.grpc.Deadline deadline = Context.current().getDeadline();
        long fallback = gateway.settings().commitStatusTimeoutMillis();
        return deadline == null ? fallback : Math.max(1, Math.min(fallback, deadline.timeRemaining(TimeUnit.MILLISECONDS)));
    }

    /** Fabric's form of a gateway error: the code, the message and each ErrorDetail as a status detail. */
    static StatusRuntimeException toStatus(GatewayException e) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(e.code().value()).setMessage(e.getMessage());
        e.details().forEach(detail -> status.addDetails(Any.pack(detail)));
        return StatusProto.toStatusRuntimeException(status.build());
    }

    /** The creator of a signed proposal, to rate-limit by (a malformed one shares one bucket). */
    private static Object creator(SignedProposal proposal) {
        try {
            return SignatureHeader.parseFrom(Header.parseFrom(Proposal.parseFrom(proposal.getProposalBytes())
                    .getHeader()).getSignatureHeader()).getCreator();
        } catch (InvalidProtocolBufferException e) {
            return ByteString.EMPTY;
        }
    }

    private static Object creator(Envelope envelope) {
        try {
            return SignatureHeader.parseFrom(Payload.parseFrom(envelope.getPayload()).getHeader().getSignatureHeader())
                    .getCreator();
        } catch (InvalidProtocolBufferException e) {
            return ByteString.EMPTY;
        }
    }

    @Override
    public void close() {
        streams.shutdownNow();
    }
}
