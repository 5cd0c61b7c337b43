package org.banyan.node.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.ParsedTransaction;
import org.banyan.protocol.TransactionParser;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A committed block as the REST API shows it: its number and hashes (lowercase hex; {@code hash} is Fabric's
 * block hash, the next block's {@code previousHash}) and per transaction its ID, type, validation code, creator's
 * MSP and chaincode. The block itself is {@code ?format=protobuf}.
 */
record BlockSummary(long number, String hash, String previousHash, String dataHash, int transactionCount,
        List<Transaction> transactions) {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * One transaction. {@code error} is set, and the other fields may be empty, for an envelope that does not
     * parse (its validation code then says why it had no effect).
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Transaction(int index, String txId, String type, String validationCode, String creatorMspId,
            String chaincode, String timestamp, String error) {}

    static BlockSummary of(Block block) {
        List<Transaction> transactions = new ArrayList<>(block.getData().getDataCount());
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            transactions.add(transaction(block, i));
        }
        return new BlockSummary(block.getHeader().getNumber(), HEX.formatHex(BlockHashing.headerHash(block.getHeader())),
                HEX.formatHex(block.getHeader().getPreviousHash().toByteArray()),
                HEX.formatHex(block.getHeader().getDataHash().toByteArray()), transactions.size(), transactions);
    }

    private static Transaction transaction(Block block, int index) {
        String code = Blocks.validationCode(block, index).name();
        try {
            ParsedTransaction tx = TransactionParser.parse(Blocks.envelope(block, index));
            String timestamp = tx.timestamp().getSeconds() == 0 && tx.timestamp().getNanos() == 0 ? ""
                    : Instant.ofEpochSecond(tx.timestamp().getSeconds(), tx.timestamp().getNanos()).toString();
            return new Transaction(index, tx.txId(), tx.type().name(), code, tx.creatorMspId(), tx.chaincodeName(),
                    timestamp, "");
        } catch (MalformedTransactionException e) {
            return new Transaction(index, "", "", code, "", "", "", e.getMessage());
        }
    }
}
