package org.banyan.ledger.validation;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.banyan.crypto.Hashes;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.crypto.msp.MspRole;
import org.banyan.crypto.msp.MspVerdict;
import org.banyan.crypto.msp.ValidityTime;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.ParsedTransaction;
import org.banyan.protocol.TransactionParser;
import org.banyan.protocol.TxIds;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Steps 1–3 of {@code docs/validation.md} for one transaction, then the endorsement step ({@link EndorsementChecks}):
 * Fabric's {@code validation.ValidateTransaction} (well formed, creator signature, tx ID), its channel check and
 * its ledger duplicate check. Pure given the committed ledger; thread-safe (immutable fields).
 */
final class TransactionChecks {
    private final String channelId;
    private final MspRegistry registry;
    private final EndorsementChecks endorsements;

    TransactionChecks(String channelId, MspRegistry registry, EndorsementChecks endorsements) {
        this.channelId = channelId;
        this.registry = registry;
        this.endorsements = endorsements;
    }

    /** Signals a failed check with its code; caught in {@link #check}, never escapes. */
    private static final class Invalid extends Exception {
        final TxValidationCode code;

        Invalid(TxValidationCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    CheckedTransaction check(int index, ByteString envelopeBytes, CommittedLedger ledger, ValidityTime now) {
        String txId = "";
        try {
            Envelope envelope = decodeEnvelope(envelopeBytes);
            ParsedTransaction tx = parse(envelope);
            txId = tx.txId();
            Payload payload = Payload.parseFrom(envelope.getPayload());
            ChannelHeader channelHeader = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            SignatureHeader signatureHeader = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
            checkCommonHeader(tx, channelHeader, signatureHeader);
            checkCreator(envelope, signatureHeader, now);
            // As Fabric's ValidateTransaction: the type first; the tx id derivation is checked for endorser
            // transactions only (a config update gets its own code, not BAD_PROPOSAL_TXID).
            checkType(tx.type());
            if (!txId.equals(TxIds.compute(signatureHeader.getNonce().toByteArray(), signatureHeader.getCreator().toByteArray()))) {
                throw new Invalid(TxValidationCode.BAD_PROPOSAL_TXID, "tx id is not SHA-256(nonce ‖ creator)");
            }
            ChaincodeActionPayload action = checkEndorserTransaction(payload);
            if (!tx.channelId().equals(channelId)) {
                throw new Invalid(TxValidationCode.TARGET_CHAIN_NOT_FOUND, "transaction of channel '" + tx.channelId() + "'");
            }
            if (ledger.containsTxId(txId)) {
                throw new Invalid(TxValidationCode.DUPLICATE_TXID, "tx id " + txId + " is already on the ledger");
            }
            return endorsements.check(index, tx, action, ledger, now);
        } catch (Invalid e) {
            return CheckedTransaction.invalid(index, e.code, e.getMessage(), txId);
        } catch (InvalidProtocolBufferException e) {
            // The parser decoded the same bytes already: reaching here is a bug.
            throw new AssertionError("envelope " + index + " parsed once but not twice", e);
        }
    }

    private static Envelope decodeEnvelope(ByteString bytes) throws Invalid {
        try {
            return Envelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new Invalid(TxValidationCode.BAD_PAYLOAD, "not an Envelope: " + e.getMessage());
        }
    }

    private static ParsedTransaction parse(Envelope envelope) throws Invalid {
        try {
            return TransactionParser.parse(envelope);
        } catch (MalformedTransactionException e) {
            throw new Invalid(e.code(), e.getMessage());
        }
    }

    /** Fabric's {@code validateCommonHeader}: an allowed type, epoch 0, a nonce and a creator. */
    private static void checkCommonHeader(ParsedTransaction tx, ChannelHeader channelHeader,
                                          SignatureHeader signatureHeader) throws Invalid {
        if (tx.type() != HeaderType.ENDORSER_TRANSACTION && tx.type() != HeaderType.CONFIG
                && tx.type() != HeaderType.CONFIG_UPDATE) {
            throw new Invalid(TxValidationCode.BAD_COMMON_HEADER, "header type " + tx.type());
        }
        if (channelHeader.getEpoch() != 0) {
            throw new Invalid(TxValidationCode.BAD_COMMON_HEADER, "epoch " + channelHeader.getEpoch() + ", expected 0");
        }
        if (signatureHeader.getNonce().isEmpty() || signatureHeader.getCreator().isEmpty()) {
            throw new Invalid(TxValidationCode.BAD_COMMON_HEADER, "signature header without nonce or creator");
        }
    }

    /** Fabric's {@code checkSignatureFromCreator}: a valid identity of a channel MSP that signed the payload. */
    private void checkCreator(Envelope envelope, SignatureHeader signatureHeader, ValidityTime now) throws Invalid {
        byte[] creator = signatureHeader.getCreator().toByteArray();
        MspVerdict identity = registry.validate(creator, MspRole.MEMBER, now);
        if (!identity.isValid()) {
            throw new Invalid(TxValidationCode.BAD_CREATOR_SIGNATURE, "creator: " + identity.failure().orElseThrow()
                    + " (" + identity.detail() + ")");
        }
        MspVerdict signature = registry.verify(creator, envelope.getPayload().toByteArray(),
                envelope.getSignature().toByteArray());
        if (!signature.isValid()) {
            throw new Invalid(TxValidationCode.BAD_CREATOR_SIGNATURE, "creator signature: " + signature.detail());
        }
    }

    /** Fabric's type switch: only endorser transactions are validated here. */
    private static void checkType(HeaderType type) throws Invalid {
        switch (type) {
            case ENDORSER_TRANSACTION -> { }
            // Interim: configuration updates are not supported yet, so a CONFIG transaction is never applied.
            // Fabric validates it against the configuration's policies and marks it VALID.
            case CONFIG -> throw new Invalid(TxValidationCode.INVALID_CONFIG_TRANSACTION,
                    "configuration transactions are not supported yet");
            default -> throw new Invalid(TxValidationCode.UNSUPPORTED_TX_PAYLOAD, "header type " + type);
        }
    }

    /**
     * Fabric's {@code validateEndorserTransaction}: the action's signature header has a nonce and a creator, and
     * the proposal response payload commits to this transaction's proposal (its proposal hash is SHA-256 of
     * channel header ‖ the action's signature header ‖ chaincode proposal payload).
     */
    private static ChaincodeActionPayload checkEndorserTransaction(Payload payload)
            throws Invalid, InvalidProtocolBufferException {
        Transaction transaction = Transaction.parseFrom(payload.getData());
        ByteString actionHeader = transaction.getActions(0).getHeader();
        SignatureHeader actionSignatureHeader;
        try {
            actionSignatureHeader = SignatureHeader.parseFrom(actionHeader);
        } catch (InvalidProtocolBufferException e) {
            throw new Invalid(TxValidationCode.INVALID_ENDORSER_TRANSACTION, "malformed action signature header");
        }
        if (actionSignatureHeader.getNonce().isEmpty() || actionSignatureHeader.getCreator().isEmpty()) {
            throw new Invalid(TxValidationCode.INVALID_ENDORSER_TRANSACTION, "action signature header without nonce or creator");
        }
        ChaincodeActionPayload action = ChaincodeActionPayload.parseFrom(transaction.getActions(0).getPayload());
        ProposalResponsePayload response = ProposalResponsePayload.parseFrom(action.getAction().getProposalResponsePayload());
        byte[] proposalHash = Hashes.sha256(payload.getHeader().getChannelHeader().toByteArray(),
                actionHeader.toByteArray(), action.getChaincodeProposalPayload().toByteArray());
        if (!response.getProposalHash().equals(ByteString.copyFrom(proposalHash))) {
            throw new Invalid(TxValidationCode.INVALID_ENDORSER_TRANSACTION, "proposal hash does not match the proposal");
        }
        return action;
    }
}
