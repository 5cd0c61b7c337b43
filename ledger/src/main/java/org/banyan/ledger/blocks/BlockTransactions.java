package org.banyan.ledger.blocks;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.banyan.protocol.Blocks;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** The transaction IDs and validation codes of a block, as the index records them. Pure functions. */
public final class BlockTransactions {
    private BlockTransactions() {}

    /**
     * One transaction ID per envelope, decoding only the channel header; empty for an envelope whose header
     * cannot be read (Fabric marks such a transaction invalid and it has no ID to look up).
     */
    public static List<String> txIds(Block block) {
        int count = block.getData().getDataCount();
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(txId(block, i));
        }
        return ids;
    }

    /** One validation code per envelope, from the TRANSACTIONS_FILTER metadata slot. */
    public static List<TxValidationCode> codes(Block block) {
        int count = block.getData().getDataCount();
        List<TxValidationCode> codes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            codes.add(Blocks.validationCode(block, i));
        }
        return codes;
    }

    private static String txId(Block block, int index) {
        try {
            Envelope envelope = Envelope.parseFrom(block.getData().getData(index));
            Payload payload = Payload.parseFrom(envelope.getPayload());
            return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId();
        } catch (InvalidProtocolBufferException e) {
            return "";
        }
    }
}
