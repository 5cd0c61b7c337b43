package org.banyan.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Decodes an envelope's nested protobufs into a {@link ParsedTransaction}. Structural checks only (no
 * signatures, no policies); every failure names Fabric's validation code for it.
 */
public final class TransactionParser {
    private TransactionParser() {}

    public static ParsedTransaction parse(Envelope envelope) throws MalformedTransactionException {
        Payload payload = decode(TxValidationCode.BAD_PAYLOAD, "payload", () -> Payload.parseFrom(envelope.getPayload()));
        if (!payload.hasHeader()) {
            throw new MalformedTransactionException(TxValidationCode.BAD_PAYLOAD, "payload has no header");
        }
        ChannelHeader channelHeader = decode(TxValidationCode.BAD_CHANNEL_HEADER, "channel header",
                () -> ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()));
        SignatureHeader signatureHeader = decode(TxValidationCode.BAD_PAYLOAD, "signature header",
                () -> SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader()));
        HeaderType type = HeaderType.forNumber(channelHeader.getType());
        if (type == null) {
            throw new MalformedTransactionException(TxValidationCode.UNKNOWN_TX_TYPE,
                    "header type " + channelHeader.getType());
        }
        String creatorMspId = "";
        if (!signatureHeader.getCreator().isEmpty()) {
            creatorMspId = decode(TxValidationCode.BAD_CREATOR_SIGNATURE, "creator",
                    () -> SerializedIdentity.parseFrom(signatureHeader.getCreator())).getMspid();
        }
        String chaincodeName = "";
        List<ParsedTransaction.NamespaceRwSet> rwSets = List.of();
        if (type == HeaderType.ENDORSER_TRANSACTION) {
            chaincodeName = decode(TxValidationCode.BAD_HEADER_EXTENSION, "chaincode header extension",
                    () -> ChaincodeHeaderExtension.parseFrom(channelHeader.getExtension())).getChaincodeId().getName();
            rwSets = endorserRwSets(payload.getData());
        }
        return new ParsedTransaction(channelHeader.getTxId(), channelHeader.getChannelId(), type,
                channelHeader.getTimestamp(), signatureHeader.getCreator(), creatorMspId, chaincodeName, rwSets);
    }

    private static List<ParsedTransaction.NamespaceRwSet> endorserRwSets(ByteString data)
            throws MalformedTransactionException {
        Transaction transaction = decode(TxValidationCode.BAD_PAYLOAD, "transaction", () -> Transaction.parseFrom(data));
        if (transaction.getActionsCount() != 1) {
            // Fabric accepts exactly one action per endorser transaction.
            throw new MalformedTransactionException(TxValidationCode.BAD_PAYLOAD,
                    "endorser transaction has " + transaction.getActionsCount() + " actions, expected 1");
        }
        ChaincodeActionPayload actionPayload = decode(TxValidationCode.BAD_PAYLOAD, "chaincode action payload",
                () -> ChaincodeActionPayload.parseFrom(transaction.getActions(0).getPayload()));
        ProposalResponsePayload responsePayload = decode(TxValidationCode.BAD_RESPONSE_PAYLOAD, "proposal response payload",
                () -> ProposalResponsePayload.parseFrom(actionPayload.getAction().getProposalResponsePayload()));
        ChaincodeAction chaincodeAction = decode(TxValidationCode.BAD_RESPONSE_PAYLOAD, "chaincode action",
                () -> ChaincodeAction.parseFrom(responsePayload.getExtension()));
        TxReadWriteSet txRwSet = decode(TxValidationCode.BAD_RWSET, "read/write set",
                () -> TxReadWriteSet.parseFrom(chaincodeAction.getResults()));
        List<ParsedTransaction.NamespaceRwSet> result = new ArrayList<>(txRwSet.getNsRwsetCount());
        for (NsReadWriteSet ns : txRwSet.getNsRwsetList()) {
            KVRWSet kv = decode(TxValidationCode.BAD_RWSET, "namespace " + ns.getNamespace(),
                    () -> KVRWSet.parseFrom(ns.getRwset()));
            result.add(new ParsedTransaction.NamespaceRwSet(ns.getNamespace(), kv));
        }
        return List.copyOf(result);
    }

    @FunctionalInterface
    private interface Decoder<T> {
        T decode() throws InvalidProtocolBufferException;
    }

    private static <T> T decode(TxValidationCode code, String what, Decoder<T> decoder)
            throws MalformedTransactionException {
        try {
            return decoder.decode();
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedTransactionException(code, "malformed " + what + ": " + e.getMessage(), e);
        }
    }
}
