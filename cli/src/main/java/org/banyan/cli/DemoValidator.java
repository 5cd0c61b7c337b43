package org.banyan.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.crypto.msp.MspRole;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.state.VersionedValue;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.ParsedTransaction;
import org.banyan.protocol.TransactionParser;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The demo's commit-time checks, in Fabric's order: creator is a valid client of a channel MSP and signed
 * the payload; endorsements are valid peer signatures from a majority of the channel's organisations
 * (Fabric's default {@code MAJORITY Endorsement}); reads still match the committed versions (MVCC).
 * The transactions issue replaces this with the node's full validator (policies, key-level endorsement,
 * phantom reads); the codes are Fabric's either way.
 */
final class DemoValidator {
    private final MspRegistry msps;
    private final int orgCount;
    private final Instant now;

    DemoValidator(MspRegistry msps, int orgCount, Instant now) {
        this.msps = msps;
        this.orgCount = orgCount;
        this.now = now;
    }

    /** Validates a block's transactions in order; writes of earlier valid ones invalidate later stale reads. */
    List<TxValidationCode> validate(List<Envelope> envelopes, ChannelLedger ledger) {
        Set<String> writtenInBlock = new HashSet<>();
        List<TxValidationCode> codes = new java.util.ArrayList<>(envelopes.size());
        for (Envelope envelope : envelopes) {
            TxValidationCode code = validate(envelope, ledger, writtenInBlock);
            codes.add(code);
        }
        return codes;
    }

    private TxValidationCode validate(Envelope envelope, ChannelLedger ledger, Set<String> writtenInBlock) {
        ParsedTransaction tx;
        try {
            tx = TransactionParser.parse(envelope);
        } catch (MalformedTransactionException e) {
            return e.code();
        }
        byte[] creator = tx.creator().toByteArray();
        if (!msps.validate(creator, MspRole.CLIENT, now).isValid()) {
            return TxValidationCode.BAD_CREATOR_SIGNATURE;
        }
        if (!msps.verify(creator, envelope.getPayload().toByteArray(), envelope.getSignature().toByteArray()).isValid()) {
            return TxValidationCode.BAD_CREATOR_SIGNATURE;
        }
        if (!endorsedByMajority(envelope)) {
            return TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
        }
        for (ParsedTransaction.NamespaceRwSet ns : tx.writes()) {
            for (KVRead read : ns.rwSet().getReadsList()) {
                if (writtenInBlock.contains(ns.namespace() + '\u0000' + read.getKey())
                        || !sameVersion(read, ledger.state(ns.namespace(), read.getKey()))) {
                    return TxValidationCode.MVCC_READ_CONFLICT;
                }
            }
        }
        for (ParsedTransaction.NamespaceRwSet ns : tx.writes()) {
            ns.rwSet().getWritesList().forEach(w -> writtenInBlock.add(ns.namespace() + '\u0000' + w.getKey()));
        }
        return TxValidationCode.VALID;
    }

    private boolean endorsedByMajority(Envelope envelope) {
        try {
            Transaction transaction = Transaction.parseFrom(Payload.parseFrom(envelope.getPayload()).getData());
            ChaincodeActionPayload action = ChaincodeActionPayload.parseFrom(transaction.getActions(0).getPayload());
            byte[] responsePayload = action.getAction().getProposalResponsePayload().toByteArray();
            Map<String, Boolean> orgs = new HashMap<>();
            for (Endorsement endorsement : action.getAction().getEndorsementsList()) {
                byte[] endorser = endorsement.getEndorser().toByteArray();
                byte[] signed = new byte[responsePayload.length + endorser.length];
                System.arraycopy(responsePayload, 0, signed, 0, responsePayload.length);
                System.arraycopy(endorser, 0, signed, responsePayload.length, endorser.length);
                if (msps.validate(endorser, MspRole.PEER, now).isValid()
                        && msps.verify(endorser, signed, endorsement.getSignature().toByteArray()).isValid()) {
                    orgs.put(SerializedIdentity.parseFrom(endorser).getMspid(), true);
                }
            }
            return orgs.size() > orgCount / 2;
        } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    private static boolean sameVersion(KVRead read, Optional<VersionedValue> committed) {
        if (!read.hasVersion()) {
            return committed.isEmpty();
        }
        return committed.isPresent()
                && committed.get().version().blockNumber() == read.getVersion().getBlockNum()
                && committed.get().version().txNumber() == read.getVersion().getTxNum();
    }
}
