package org.banyan.node.orderer;

import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.banyan.consensus.Payload;
import org.banyan.node.deliver.DeliverService;
import org.banyan.node.deliver.DeliverStreams;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Fabric's {@code orderer.AtomicBroadcast/Broadcast}: clients stream envelopes, and get one response per envelope,
 * in order. SUCCESS means the envelope passed the checks below and was queued for ordering on this node (as in
 * Fabric, not that it was ordered: clients watch for the commit and resubmit what they do not see committed;
 * ordering deduplicates by transaction id).
 *
 * <ul>
 *   <li>{@code BAD_REQUEST}: not an envelope, no channel header or transaction id;
 *   <li>{@code NOT_FOUND}: a channel this node does not host;
 *   <li>{@code FORBIDDEN} / {@code BAD_REQUEST} / {@code REQUEST_ENTITY_TOO_LARGE}: the channel's admission check
 *       refused it (its reason in {@code info});
 *   <li>{@code SERVICE_UNAVAILABLE}: consensus is not running or its queue is full (retry later).
 * </ul>
 * {@code Deliver} streams committed blocks to requesters that satisfy {@code /Channel/Readers} (see
 * {@link DeliverStreams}).
 */
public final class BroadcastService extends AtomicBroadcastGrpc.AtomicBroadcastImplBase {
    /** One channel as Broadcast sees it. */
    public interface Channel {
        /** Why the envelope may not be ordered, or empty if it may. */
        Optional<Refusal> admit(Payload payload);

        /** Queues the payload for ordering; false when consensus cannot take it now. */
        boolean submit(Payload payload);
    }

    /** A refusal with Fabric's status and a reason for the client. */
    public record Refusal(Status status, String reason) {}

    /** Told of each envelope's answer, on the stream's thread (metrics). Must be quick. */
    @FunctionalInterface
    public interface Observer {
        Observer NONE = (channelId, status) -> {};

        /**
         * @param channelId the channel the envelope names, as the client sent it, not necessarily hosted here
         *     (empty when the envelope has no channel header)
         */
        void answered(String channelId, Status status);
    }

    private final Function<String, Optional<Channel>> channels;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    private final DeliverStreams deliver;
    private final Observer observer;

    public BroadcastService(Function<String, Optional<Channel>> channels, DeliverStreams deliver,
            Observer observer) {
        this.channels = channels;
        this.deliver = deliver;
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<org.hyperledger.fabric.protos.orderer.DeliverResponse> out) {
        return deliver.open(out, "/Channel/Readers", new DeliverStreams.Responses<>(
                b -> org.hyperledger.fabric.protos.orderer.DeliverResponse.newBuilder()
                        .setBlock(DeliverService.content(b)).build(),
                status -> org.hyperledger.fabric.protos.orderer.DeliverResponse.newBuilder().setStatus(status).build()));
    }

    @Override
    public StreamObserver<Envelope> broadcast(StreamObserver<BroadcastResponse> responses) {
        return new StreamObserver<>() {
            @Override
            public void onNext(Envelope envelope) {
                responses.onNext(handle(envelope));
            }

            @Override
            public void onError(Throwable t) {
                // The client went away; nothing to answer.
            }

            @Override
            public void onCompleted() {
                responses.onCompleted();
            }
        };
    }

    /**
     * Admits one envelope and queues it for ordering, answering as Broadcast answers it (also the gateway's
     * Submit, so both paths check and count the same).
     */
    public BroadcastResponse handle(Envelope envelope) {
        ChannelHeader header = channelHeader(envelope);
        BroadcastResponse response = answer(envelope, header);
        (response.getStatus() == Status.SUCCESS ? accepted : refused).incrementAndGet();
        observer.answered(header == null ? "" : header.getChannelId(), response.getStatus());
        return response;
    }

    /** The answer to one envelope, whose channel header ({@link #channelHeader}) is {@code header}. */
    private BroadcastResponse answer(Envelope envelope, ChannelHeader header) {
        if (header == null || header.getTxId().isEmpty() || header.getTxId().length() > Payload.PAYLOAD_ID_CHARS_MAX) {
            return response(Status.BAD_REQUEST, "not an envelope with a channel header and a transaction id");
        }
        Optional<Channel> channel = channels.apply(header.getChannelId());
        if (channel.isEmpty()) {
            return response(Status.NOT_FOUND, "channel '" + header.getChannelId() + "' is not hosted by this node");
        }
        Payload payload = new Payload(header.getTxId(), envelope.toByteArray());
        Optional<Refusal> refusal = channel.get().admit(payload);
        if (refusal.isPresent()) {
            return response(refusal.get().status(), refusal.get().reason());
        }
        if (!channel.get().submit(payload)) {
            return response(Status.SERVICE_UNAVAILABLE, "consensus of channel '" + header.getChannelId()
                    + "' is not accepting envelopes now; retry");
        }
        return BroadcastResponse.newBuilder().setStatus(Status.SUCCESS).build();
    }

    /** The envelope's channel header, or null if it has none. */
    private static ChannelHeader channelHeader(Envelope envelope) {
        try {
            org.hyperledger.fabric.protos.common.Payload payload =
                    org.hyperledger.fabric.protos.common.Payload.parseFrom(envelope.getPayload());
            return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return null;
        }
    }

    private static BroadcastResponse response(Status status, String info) {
        return BroadcastResponse.newBuilder().setStatus(status).setInfo(info).build();
    }

    public long accepted() {
        return accepted.get();
    }

    public long refused() {
        return refused.get();
    }
}
