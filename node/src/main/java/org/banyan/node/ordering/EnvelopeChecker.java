package org.banyan.node.ordering;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import java.util.List;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.crypto.msp.MspRole;
import org.banyan.crypto.msp.MspVerdict;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.ParsedTransaction;
import org.banyan.protocol.TransactionParser;
import org.banyan.protocol.TxIds;
import org.banyan.protocol.policy.PolicyEvaluator;
import org.banyan.protocol.policy.PolicyVerdict;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * The checks an envelope must pass to be ordered on a channel, cheapest first, so a flood of junk costs parsing
 * rather than signature verification. Like Fabric's orderer filters (size, signature against
 * {@code /Channel/Writers}) plus the peer's tx id rule, applied before voting. Stateless and thread-safe: no
 * cache and no clock (the instant is a parameter); {@link EnvelopeValidator} adds both.
 */
final class EnvelopeChecker {
    /** Fabric's policy for who may submit transactions to a channel. */
    static final String WRITERS = "/Channel/Writers";

    private final String channelId;
    private final int payloadBytesMax;
    private final MspRegistry registry;
    private final PolicyEvaluator policies;

    EnvelopeChecker(String channelId, int payloadBytesMax, MspRegistry registry, PolicyEvaluator policies) {
        this.channelId = channelId;
        this.payloadBytesMax = payloadBytesMax;
        this.registry = registry;
        this.policies = policies;
    }

    /**
     * @param payloadId the tx id the payload claims (consensus deduplicates by it)
     * @param bytes the encoded {@code common.Envelope}
     * @param now the instant certificates must be valid at
     */
    EnvelopeCheck check(String payloadId, byte[] bytes, Instant now) {
        if (bytes.length > payloadBytesMax) {
            return EnvelopeCheck.rejected(EnvelopeVerdict.TOO_LARGE, bytes.length + " bytes > payloadBytesMax " + payloadBytesMax);
        }
        Envelope envelope;
        ParsedTransaction tx;
        SignatureHeader signatureHeader;
        try {
            envelope = Envelope.parseFrom(bytes);
            tx = TransactionParser.parse(envelope);
            // The parser keeps the creator but not the nonce, which the tx id rule needs.
            signatureHeader = SignatureHeader.parseFrom(Payload.parseFrom(envelope.getPayload()).getHeader().getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            return EnvelopeCheck.rejected(EnvelopeVerdict.MALFORMED, "not an envelope: " + e.getMessage());
        } catch (MalformedTransactionException e) {
            return EnvelopeCheck.rejected(EnvelopeVerdict.MALFORMED, e.getMessage());
        }
        if (tx.type() != HeaderType.ENDORSER_TRANSACTION) {
            return EnvelopeCheck.rejected(EnvelopeVerdict.UNSUPPORTED_TYPE, "header type " + tx.type()
                    + ": only ENDORSER_TRANSACTION is ordered (CONFIG updates are not supported yet)");
        }
        if (!channelId.equals(tx.channelId())) {
            return EnvelopeCheck.rejected(EnvelopeVerdict.WRONG_CHANNEL, "channel '" + tx.channelId() + "', not '" + channelId + "'");
        }
        EnvelopeCheck txId = checkTxId(payloadId, tx, signatureHeader);
        if (!txId.valid()) {
            return txId;
        }
        return checkCreator(tx.creator(), envelope, now);
    }

    private static EnvelopeCheck checkTxId(String payloadId, ParsedTransaction tx, SignatureHeader header) {
        if (!payloadId.equals(tx.txId())) {
            return EnvelopeCheck.rejected(EnvelopeVerdict.TX_ID_MISMATCH, "payload id " + payloadId + " but tx id " + tx.txId());
        }
        // Fabric's peer marks such a transaction BAD_PROPOSAL_TXID; refusing it here keeps it out of blocks.
        String derived = TxIds.compute(header.getNonce().toByteArray(), header.getCreator().toByteArray());
        if (!derived.equals(tx.txId())) {
            return EnvelopeCheck.rejected(EnvelopeVerdict.TX_ID_MISMATCH, "tx id " + tx.txId() + " is not SHA-256(nonce ‖ creator)");
        }
        return EnvelopeCheck.VALID;
    }

    /** Identity, then policy, then the one signature verification: the costliest step runs last. */
    private EnvelopeCheck checkCreator(ByteString creator, Envelope envelope, Instant now) {
        if (creator.isEmpty()) {
            return EnvelopeCheck.rejected(EnvelopeVerdict.CREATOR_INVALID, "no creator");
        }
        byte[] creatorBytes = creator.toByteArray();
        MspVerdict identity = registry.validate(creatorBytes, MspRole.MEMBER, now);
        if (!identity.isValid()) {
            return EnvelopeCheck.rejected(EnvelopeVerdict.CREATOR_INVALID, identity.failure().orElseThrow() + ": " + identity.detail());
        }
        PolicyVerdict writer = policies.evaluate(WRITERS, List.of(creator), now);
        if (!writer.satisfied()) {
            return EnvelopeCheck.rejected(EnvelopeVerdict.CREATOR_NOT_WRITER, writer.reason());
        }
        MspVerdict signature = registry.verify(creatorBytes, envelope.getPayload().toByteArray(), envelope.getSignature().toByteArray());
        if (!signature.isValid()) {
            return EnvelopeCheck.rejected(EnvelopeVerdict.BAD_SIGNATURE, signature.detail());
        }
        return EnvelopeCheck.VALID;
    }
}
