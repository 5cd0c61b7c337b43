package org.banyan.node.gateway;

import java.util.Optional;
import java.util.SortedSet;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.ledger.LedgerTransaction;
import org.banyan.ledger.validation.CommittedLedger;
import org.banyan.ledger.validation.EndorsementRequirement;
import org.banyan.node.deliver.BlockStream;
import org.banyan.protocol.policy.PolicyEvaluator;
import org.hyperledger.fabric.protos.common.Envelope;

/** A channel hosted by this node, as the gateway uses it; its blocks as Deliver reads them. Thread-safe. */
public interface GatewayChannel extends BlockStream.Source {
    String channelId();

    /** The channel's application organisations, sorted. */
    SortedSet<String> orgs();

    MspRegistry registry();

    PolicyEvaluator policies();

    /** What a transaction's endorsements must satisfy, against {@link #committed()}. */
    EndorsementRequirement requirement();

    CommittedLedger committed();

    /** Where a committed transaction is and its validation code; empty while it is not committed here. */
    Optional<LedgerTransaction> transaction(String txId);

    /**
     * Admits a signed transaction for ordering (Broadcast's checks) and queues it.
     *
     * @return empty when queued, else the refusal as Broadcast would answer it
     */
    Optional<Refusal> submit(Envelope transaction);

    /** A transaction refused for ordering: Fabric's {@code common.Status} and the reason. */
    record Refusal(org.hyperledger.fabric.protos.common.Status status, String info) {}
}
