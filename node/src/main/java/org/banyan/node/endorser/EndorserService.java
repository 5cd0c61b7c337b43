package org.banyan.node.endorser;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * Fabric's {@code protos.Endorser/ProcessProposal} over an {@link Endorser}. A refused proposal ends the call with
 * status {@code UNKNOWN} and the endorser's message, which is what a Go gRPC server sends for Fabric's peer
 * returning an error; everything else is a {@link ProposalResponse} (status 200 endorsed, 500 with the reason).
 */
public final class EndorserService extends EndorserGrpc.EndorserImplBase {
    private final Endorser endorser;

    public EndorserService(Endorser endorser) {
        this.endorser = endorser;
    }

    @Override
    public void processProposal(SignedProposal request, StreamObserver<ProposalResponse> responseObserver) {
        ProposalResponse response;
        try {
            response = endorser.process(request);
        } catch (RefusedProposalException e) {
            responseObserver.onError(Status.UNKNOWN.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        responseObserver.onNext(response);
        responseObserver.onCompleted();
    }
}
