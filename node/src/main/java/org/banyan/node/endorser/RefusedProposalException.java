package org.banyan.node.endorser;

/**
 * A proposal the endorser will not answer with a response: it does not decode, its creator or signature is not
 * valid, it repeats a committed transaction, or its creator may not propose. Fabric's peer answers these with a
 * gRPC error carrying the message, which {@link EndorserService} does too.
 */
public final class RefusedProposalException extends Exception {
    public RefusedProposalException(String message) {
        super(message);
    }
}
