package org.banyan.node.gateway;

import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/** One organisation's endorser as the gateway reaches it: in this process for its own organisation, else over gRPC. */
public interface OrgEndorser {
    String mspId();

    /** For error details and logs: {@code host:port}, or {@code local} for this node's own endorser. */
    String address();

    /**
     * The endorser's answer to the proposal.
     *
     * @throws Failure when there is no answer: the endorser refused the proposal (a client error, asking another
     *     organisation would not help) or could not be reached in time
     */
    ProposalResponse process(SignedProposal proposal, long timeoutMillis) throws Failure;

    /** No answer from an endorser. */
    final class Failure extends Exception {
        private final boolean refused;

        public Failure(String message, boolean refused) {
            super(message, null, false, false);
            this.refused = refused;
        }

        /** True when the endorser refused the proposal; false when it was unreachable or too slow. */
        public boolean refused() {
            return refused;
        }
    }
}
