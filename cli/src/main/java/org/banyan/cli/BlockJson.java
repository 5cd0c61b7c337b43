package org.banyan.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.BlockMetadataSlots;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.ParsedTransaction;
import org.banyan.protocol.TransactionParser;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/** Renders a block as JSON for people: header, hashes, metadata and each transaction's essentials. */
final class BlockJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private BlockJson() {}

    static ObjectNode render(Block block) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode header = root.putObject("header");
        header.put("number", Long.toUnsignedString(block.getHeader().getNumber()));
        header.put("previousHash", HEX.formatHex(block.getHeader().getPreviousHash().toByteArray()));
        header.put("dataHash", HEX.formatHex(block.getHeader().getDataHash().toByteArray()));
        header.put("hash", HEX.formatHex(BlockHashing.headerHash(block.getHeader())));
        header.put("dataHashValid", Blocks.dataHashMatches(block));

        ObjectNode metadata = root.putObject("metadata");
        lastConfig(block).ifPresent(index -> metadata.put("lastConfig", index));
        ByteString commitHash = commitHash(block);
        if (!commitHash.isEmpty()) {
            metadata.put("commitHash", HEX.formatHex(commitHash.toByteArray()));
        }

        ArrayNode transactions = root.putArray("transactions");
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            ObjectNode tx = transactions.addObject();
            tx.put("index", i);
            tx.put("validationCode", Blocks.validationCode(block, i).name());
            try {
                ParsedTransaction parsed = TransactionParser.parse(Blocks.envelope(block, i));
                tx.put("txId", parsed.txId());
                tx.put("type", parsed.type().name());
                tx.put("channel", parsed.channelId());
                if (parsed.timestamp().getSeconds() != 0 || parsed.timestamp().getNanos() != 0) {
                    tx.put("timestamp", Instant.ofEpochSecond(parsed.timestamp().getSeconds(),
                            parsed.timestamp().getNanos()).toString());
                }
                creator(tx, parsed.creator());
                if (!parsed.chaincodeName().isEmpty()) {
                    tx.put("chaincode", parsed.chaincodeName());
                    endorsers(tx, Blocks.envelope(block, i));
                }
                ArrayNode writes = tx.putArray("writes");
                for (ParsedTransaction.NamespaceRwSet ns : parsed.writes()) {
                    for (KVWrite write : ns.rwSet().getWritesList()) {
                        ObjectNode w = writes.addObject();
                        w.put("namespace", ns.namespace());
                        w.put("key", write.getKey());
                        if (write.getIsDelete()) {
                            w.put("delete", true);
                        } else {
                            w.put("valueBytes", write.getValue().size());
                        }
                    }
                    tx.put("reads", tx.path("reads").asInt(0) + ns.rwSet().getReadsCount());
                }
            } catch (MalformedTransactionException e) {
                tx.put("error", e.getMessage());
            }
        }
        return root;
    }

    private static void endorsers(ObjectNode tx, org.hyperledger.fabric.protos.common.Envelope envelope) {
        try {
            ArrayNode endorsers = tx.putArray("endorsers");
            endorserMspIds(envelope).forEach(endorsers::add);
        } catch (com.google.protobuf.InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            tx.remove("endorsers");
            tx.put("endorsersError", "endorsements do not decode: " + e.getMessage());
        }
    }

    /** The MSP IDs of an endorser transaction's endorsements, in their order. */
    static List<String> endorserMspIds(org.hyperledger.fabric.protos.common.Envelope envelope)
            throws com.google.protobuf.InvalidProtocolBufferException {
        var transaction = org.hyperledger.fabric.protos.peer.Transaction.parseFrom(
                org.hyperledger.fabric.protos.common.Payload.parseFrom(envelope.getPayload()).getData());
        List<String> mspIds = new java.util.ArrayList<>();
        for (var endorsement : org.hyperledger.fabric.protos.peer.ChaincodeActionPayload.parseFrom(
                transaction.getActions(0).getPayload()).getAction().getEndorsementsList()) {
            mspIds.add(SerializedIdentity.parseFrom(endorsement.getEndorser()).getMspid());
        }
        return mspIds;
    }

    private static void creator(ObjectNode tx, ByteString creatorBytes) {
        if (creatorBytes.isEmpty()) {
            return;
        }
        ObjectNode creator = tx.putObject("creator");
        try {
            SerializedIdentity identity = SerializedIdentity.parseFrom(creatorBytes);
            creator.put("mspId", identity.getMspid());
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(identity.getIdBytes().toByteArray()));
            creator.put("subject", certificate.getSubjectX500Principal().getName());
        } catch (InvalidProtocolBufferException | CertificateException e) {
            creator.put("error", "undecodable creator: " + e.getMessage());
        }
    }

    /** An empty slot decodes as index 0, as in Fabric (proto3 omits zero values). */
    private static java.util.Optional<Long> lastConfig(Block block) {
        ByteString slot = Blocks.metadata(block, BlockMetadataSlots.LAST_CONFIG);
        try {
            return java.util.Optional.of(LastConfig.parseFrom(Metadata.parseFrom(slot).getValue()).getIndex());
        } catch (InvalidProtocolBufferException e) {
            return java.util.Optional.empty();
        }
    }

    private static ByteString commitHash(Block block) {
        ByteString slot = Blocks.metadata(block, BlockMetadataSlots.COMMIT_HASH);
        try {
            return slot.isEmpty() ? slot : Metadata.parseFrom(slot).getValue();
        } catch (InvalidProtocolBufferException e) {
            return slot;
        }
    }
}
