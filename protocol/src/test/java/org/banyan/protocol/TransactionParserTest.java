package org.banyan.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.List;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

class TransactionParserTest {
    @Test
    void parsesWhatTheBuilderBuilt() throws Exception {
        TestChains chains = new TestChains(7, 64, 100);
        Block block = chains.next(chains.genesis(), 3);
        for (int i = 0; i < 3; i++) {
            ParsedTransaction tx = TransactionParser.parse(Blocks.envelope(block, i));
            assertThat(tx.type()).isEqualTo(HeaderType.ENDORSER_TRANSACTION);
            assertThat(tx.channelId()).isEqualTo(TestChains.CHANNEL);
            assertThat(tx.creatorMspId()).isEqualTo("Org1MSP");
            assertThat(tx.txId()).hasSize(64);
            assertThat(tx.writes()).hasSize(1);
            assertThat(TestChains.NAMESPACES).contains(tx.writes().get(0).namespace());
            assertThat(tx.writes().get(0).rwSet().getWritesCount()).isPositive();
        }
    }

    @Test
    void txIdIsDerivedFromNonceAndCreator() throws Exception {
        TestChains chains = new TestChains(8, 16, 10);
        Envelope envelope = chains.transaction(1, 0);
        Payload payload = Payload.parseFrom(envelope.getPayload());
        var signatureHeader = org.hyperledger.fabric.protos.common.SignatureHeader.parseFrom(
                payload.getHeader().getSignatureHeader());
        ParsedTransaction tx = TransactionParser.parse(envelope);
        assertThat(tx.txId()).isEqualTo(TxIds.compute(signatureHeader.getNonce().toByteArray(),
                signatureHeader.getCreator().toByteArray()));
    }

    @Test
    void garbagePayloadIsBadPayload() {
        Envelope envelope = Envelope.newBuilder().setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff, 1, 2})).build();
        assertThatThrownBy(() -> TransactionParser.parse(envelope))
                .isInstanceOfSatisfying(MalformedTransactionException.class,
                        e -> assertThat(e.code()).isEqualTo(TxValidationCode.BAD_PAYLOAD));
    }

    @Test
    void missingHeaderIsRejected() {
        Envelope envelope = Envelope.newBuilder().setPayload(Payload.newBuilder().build().toByteString()).build();
        assertThatThrownBy(() -> TransactionParser.parse(envelope)).isInstanceOf(MalformedTransactionException.class)
                .hasMessageContaining("no header");
    }

    @Test
    void validationCodesRoundTripThroughTheFilter() {
        TestChains chains = new TestChains(9, 16, 10);
        Block block = chains.next(chains.genesis(), 2);
        Block marked = Blocks.withValidationCodes(block,
                List.of(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT));
        assertThat(Blocks.validationCode(marked, 0)).isEqualTo(TxValidationCode.VALID);
        assertThat(Blocks.validationCode(marked, 1)).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
        assertThatThrownBy(() -> Blocks.withValidationCodes(block, List.of(TxValidationCode.VALID)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
