package org.banyan.node.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.banyan.ledger.LedgerTransaction;
import org.banyan.protocol.Blocks;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Fabric's gateway {@code ChaincodeEvents}: the events one chaincode emitted in VALID transactions, one response
 * per block that has any, in block order, from a start block on and then as blocks commit. A request with
 * {@code after_transaction_id} of a committed transaction resumes just after it (a client's checkpoint); otherwise
 * the start position decides (a specified block, or by default the next block to commit).
 */
public final class ChaincodeEvents {
    /** Where a stream's responses go. */
    public interface Sink {
        /** False once the client has gone. */
        boolean open();

        void send(ChaincodeEventsResponse response);
    }

    /** How often a waiting stream checks that its client is still there. */
    static final long POLL_MILLIS = 1_000;

    private ChaincodeEvents() {}

    /**
     * Streams until the client goes away or nothing was sent for {@code idleTimeoutMillis}.
     *
     * @throws GatewayException INVALID_ARGUMENT for an unsupported start position; DEADLINE_EXCEEDED after the idle
     *     timeout
     */
    public static void stream(GatewayChannel channel, ChaincodeEventsRequest request, Sink sink,
            long idleTimeoutMillis, LongSupplier nowMillis) throws GatewayException, InterruptedException {
        Start start = start(channel, request);
        long next = start.block();
        long lastSentMillis = nowMillis.getAsLong();
        while (sink.open()) {
            if (next < channel.height()) {
                Block block = channel.block(next);
                List<ChaincodeEvent> events = events(block, request.getChaincodeId(),
                        next == start.block() ? start.afterTxIndex() : -1);
                if (!events.isEmpty()) {
                    sink.send(ChaincodeEventsResponse.newBuilder().setBlockNumber(next).addAllEvents(events).build());
                    lastSentMillis = nowMillis.getAsLong();
                }
                next++;
                continue;
            }
            long idleMillis = nowMillis.getAsLong() - lastSentMillis;
            if (idleMillis >= idleTimeoutMillis) {
                throw new GatewayException(Status.Code.DEADLINE_EXCEEDED, "no chaincode events for "
                        + idleTimeoutMillis + " ms; the stream ends, resume it from your checkpoint");
            }
            // Height above `next` means block `next` is committed.
            channel.awaitHeightAbove(next, Math.min(POLL_MILLIS, idleTimeoutMillis - idleMillis));
        }
    }

    /** The first block, and within it the index of the transaction to resume after (-1: the whole block). */
    private record Start(long block, int afterTxIndex) {}

    private static Start start(GatewayChannel channel, ChaincodeEventsRequest request) throws GatewayException {
        if (!request.getAfterTransactionId().isEmpty()) {
            java.util.Optional<LedgerTransaction> after = channel.transaction(request.getAfterTransactionId());
            if (after.isPresent()) {
                return new Start(after.get().blockNumber(), after.get().txIndex());
            }
        }
        SeekPosition position = request.getStartPosition();
        return switch (position.getTypeCase()) {
            case TYPE_NOT_SET, NEXT_COMMIT -> new Start(channel.height(), -1);
            case SPECIFIED -> new Start(position.getSpecified().getNumber(), -1);
            default -> throw new GatewayException(Status.Code.INVALID_ARGUMENT, "invalid start position type: "
                    + position.getTypeCase());
        };
    }

    /** The events of {@code chaincodeId} in the block's VALID endorser transactions after index {@code afterIndex}. */
    static List<ChaincodeEvent> events(Block block, String chaincodeId, int afterIndex) {
        List<ChaincodeEvent> events = new ArrayList<>();
        for (int i = afterIndex + 1; i < block.getData().getDataCount(); i++) {
            if (Blocks.validationCode(block, i) != TxValidationCode.VALID) {
                continue;
            }
            try {
                Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getData(i)).getPayload());
                ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
                if (header.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
                    continue;
                }
                for (var action : Transaction.parseFrom(payload.getData()).getActionsList()) {
                    ChaincodeEvent event = ChaincodeEvent.parseFrom(ChaincodeAction.parseFrom(
                            ProposalResponsePayload.parseFrom(ChaincodeActionPayload.parseFrom(action.getPayload())
                                    .getAction().getProposalResponsePayload()).getExtension()).getEvents());
                    if (!event.getEventName().isEmpty() && event.getChaincodeId().equals(chaincodeId)) {
                        events.add(event.getTxId().isEmpty() ? event.toBuilder().setTxId(header.getTxId()).build()
                                : event);
                    }
                }
            } catch (InvalidProtocolBufferException e) {
                // A VALID transaction always parses; nothing to report for one that does not.
            }
        }
        return events;
    }
}
