package org.banyan.node.deliver;

import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.peer.BlockAndPrivateData;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;

/**
 * Fabric's peer {@code protos.Deliver}: {@code Deliver} streams full blocks (or headers with signatures),
 * {@code DeliverFiltered} each transaction's id, type, validation code and chaincode events without payloads,
 * {@code DeliverWithPrivateData} full blocks with an empty private-data map (private data arrives with the privacy
 * issue). Requesters must satisfy {@code /Channel/Application/Readers}.
 */
public final class DeliverService extends DeliverGrpc.DeliverImplBase {
    public static final String READERS_POLICY = "/Channel/Application/Readers";

    private final DeliverStreams streams;

    public DeliverService(DeliverStreams streams) {
        this.streams = streams;
    }

    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> out) {
        return streams.open(out, READERS_POLICY, new DeliverStreams.Responses<>(
                b -> DeliverResponse.newBuilder().setBlock(content(b)).build(),
                status -> DeliverResponse.newBuilder().setStatus(status).build()));
    }

    @Override
    public StreamObserver<Envelope> deliverFiltered(StreamObserver<DeliverResponse> out) {
        return streams.open(out, READERS_POLICY, new DeliverStreams.Responses<>(
                b -> DeliverResponse.newBuilder().setFilteredBlock(
                        BlockStream.filter(b.block(), b.request().channelId())).build(),
                status -> DeliverResponse.newBuilder().setStatus(status).build()));
    }

    @Override
    public StreamObserver<Envelope> deliverWithPrivateData(StreamObserver<DeliverResponse> out) {
        return streams.open(out, READERS_POLICY, new DeliverStreams.Responses<>(
                b -> DeliverResponse.newBuilder().setBlockAndPrivateData(
                        BlockAndPrivateData.newBuilder().setBlock(content(b))).build(),
                status -> DeliverResponse.newBuilder().setStatus(status).build()));
    }

    /** The block, or for HEADER_WITH_SIG its header and metadata without the data. */
    public static org.hyperledger.fabric.protos.common.Block content(DeliverStreams.SeekBlock seekBlock) {
        if (seekBlock.request().contentType() == SeekInfo.SeekContentType.HEADER_WITH_SIG) {
            return seekBlock.block().toBuilder().clearData().build();
        }
        return seekBlock.block();
    }
}
