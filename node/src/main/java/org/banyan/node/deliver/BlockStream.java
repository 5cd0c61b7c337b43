package org.banyan.node.deliver;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.banyan.protocol.Blocks;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.FilteredBlock;
import org.hyperledger.fabric.protos.peer.FilteredChaincodeAction;
import org.hyperledger.fabric.protos.peer.FilteredTransaction;
import org.hyperledger.fabric.protos.peer.FilteredTransactionActions;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

/**
 * Streams the blocks of a {@link SeekRequest}, in order, waiting for new ones when asked to. Runs on a thread of the
 * caller's; returns when the stop block was sent (SUCCESS), a block is not there and the client asked not to wait
 * (NOT_FOUND), or the client went away.
 */
public final class BlockStream {
    /** Where the blocks go. */
    public interface Sink {
        /** Sends one block (waits while the client is not ready); false when the client went away. */
        boolean send(Block block) throws InterruptedException;

        boolean cancelled();
    }

    /** The ledger side: committed blocks and a way to wait for the next. */
    public interface Source {
        long height();

        Block block(long number);

        /** Waits until the height exceeds {@code number} or the timeout passes. */
        void awaitHeightAbove(long number, long timeoutMillis) throws InterruptedException;
    }

    /** How long one wait for a new block lasts before the client's state is checked again. */
    static final long WAIT_SLICE_MILLIS = 200;

    private BlockStream() {}

    /**
     * Streams and returns the final status to send: SUCCESS once the last requested block is sent, NOT_FOUND for a
     * block not there under FAIL_IF_NOT_READY, SERVICE_UNAVAILABLE when the client went away or nothing was sent for
     * {@code idleTimeoutMillis} (the client asks again from where it was).
     */
    public static Status run(SeekRequest request, Source source, Sink sink, long idleTimeoutMillis,
            LongSupplier nowMillis) throws InterruptedException {
        long lastSentMillis = nowMillis.getAsLong();
        for (long number = request.firstNumber(); number <= request.lastNumber(); number++) {
            while (source.height() <= number) {
                if (request.behavior() == SeekInfo.SeekBehavior.FAIL_IF_NOT_READY) {
                    return Status.NOT_FOUND;
                }
                if (sink.cancelled() || nowMillis.getAsLong() - lastSentMillis >= idleTimeoutMillis) {
                    return Status.SERVICE_UNAVAILABLE;
                }
                source.awaitHeightAbove(number, WAIT_SLICE_MILLIS);
            }
            if (!sink.send(source.block(number))) {
                return Status.SERVICE_UNAVAILABLE;
            }
            lastSentMillis = nowMillis.getAsLong();
            if (number == Long.MAX_VALUE) {
                break;
            }
        }
        return Status.SUCCESS;
    }

    /**
     * Fabric's filtered view of a block: per transaction its id, header type, validation code and, for endorser
     * transactions, the chaincode events without their payloads.
     */
    public static FilteredBlock filter(Block block, String channelId) {
        FilteredBlock.Builder filtered = FilteredBlock.newBuilder().setChannelId(channelId)
                .setNumber(block.getHeader().getNumber());
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            FilteredTransaction.Builder tx = FilteredTransaction.newBuilder()
                    .setTxValidationCode(Blocks.validationCode(block, i));
            try {
                Envelope envelope = Envelope.parseFrom(block.getData().getData(i));
                Payload payload = Payload.parseFrom(envelope.getPayload());
                ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
                tx.setTxid(header.getTxId()).setTypeValue(header.getType());
                if (header.getType() == HeaderType.ENDORSER_TRANSACTION_VALUE) {
                    tx.setTransactionActions(FilteredTransactionActions.newBuilder()
                            .addAllChaincodeActions(chaincodeActions(payload)));
                }
            } catch (InvalidProtocolBufferException e) {
                // Not parseable: its validation code (BAD_PAYLOAD) says so; no id or events to show.
            }
            filtered.addFilteredTransactions(tx);
        }
        return filtered.build();
    }

    private static List<FilteredChaincodeAction> chaincodeActions(Payload payload) throws InvalidProtocolBufferException {
        List<FilteredChaincodeAction> actions = new ArrayList<>();
        for (TransactionAction action : Transaction.parseFrom(payload.getData()).getActionsList()) {
            ChaincodeActionPayload actionPayload = ChaincodeActionPayload.parseFrom(action.getPayload());
            ProposalResponsePayload response = ProposalResponsePayload.parseFrom(
                    actionPayload.getAction().getProposalResponsePayload());
            ChaincodeEvent event = ChaincodeEvent.parseFrom(ChaincodeAction.parseFrom(response.getExtension()).getEvents());
            FilteredChaincodeAction.Builder filtered = FilteredChaincodeAction.newBuilder();
            if (!event.getEventName().isEmpty()) {
                filtered.setChaincodeEvent(event.toBuilder().clearPayload());
            }
            actions.add(filtered.build());
        }
        return actions;
    }
}
