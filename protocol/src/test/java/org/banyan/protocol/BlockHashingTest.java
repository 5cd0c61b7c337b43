package org.banyan.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.banyan.crypto.Hashes;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Test vectors for Fabric's block hashing. The expected values were produced independently of this code by
 * {@code openssl asn1parse -genconf} (DER of SEQUENCE{INTEGER, OCTET STRING, OCTET STRING}) piped into
 * {@code sha256sum}, with previous hash = SHA-256("prev") and data hash = SHA-256("data").
 */
class BlockHashingTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final ByteString PREV = ByteString.copyFrom(sha("prev"));
    private static final ByteString DATA = ByteString.copyFrom(sha("data"));

    @ParameterizedTest
    @CsvSource({
        "0, 3047020100042084fd9bac333ad791, 59bbcca8800bed56ea69d89ded1de4106c5f7acc28107bc2726a3927cfa07768",
        "1, 3047020101042084fd9bac333ad791, 0ac40147e376383d6846af140c13e47a67d2283166d4e691c8c7be6a7d0a20c9",
        "255, 3048020200ff042084fd9bac333ad7, 54e49a11b8772ec976c9627f52a40ec58a5af1bc92ff49176c9cff5c0f11b9ea",
        "4294967296, 304b02050100000000042084fd9bac, 3c639495b5255c0718e5293853379e466e18fc03c21c2502ee2a233a7eb361c2",
        // Block numbers are uint64 in Fabric: the largest one is -1 as a Java long.
        "-1, 304f020900ffffffffffffffff0420, 0ea1396492d3c3b29b33f35142116c674bf3295afd9fa5d38f618a2ec6ca601e",
    })
    void headerHashMatchesIndependentDerEncoding(long number, String derPrefix, String expectedHash) {
        BlockHeader header = BlockHeader.newBuilder().setNumber(number).setPreviousHash(PREV).setDataHash(DATA).build();
        assertThat(HEX.formatHex(BlockHashing.headerBytes(header))).startsWith(derPrefix);
        assertThat(HEX.formatHex(BlockHashing.headerHash(header))).isEqualTo(expectedHash);
    }

    @Test
    void genesisHeaderWithEmptyPreviousHash() {
        BlockHeader header = BlockHeader.newBuilder().setNumber(0).setDataHash(DATA).build();
        assertThat(HEX.formatHex(BlockHashing.headerHash(header)))
                .isEqualTo("ca0f510a0966e4a18bc60b9425322fd8a582dcf255942c6742151db219b17f61");
    }

    @Test
    void dataHashIsHashOfConcatenatedEnvelopes() {
        BlockData data = BlockData.newBuilder()
                .addData(ByteString.copyFromUtf8("ab")).addData(ByteString.copyFromUtf8("cd")).build();
        assertThat(HEX.formatHex(BlockHashing.dataHash(data)))
                .isEqualTo("88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589");
    }

    @Test
    void chainedBlocksLinkByHeaderHash() {
        var genesis = Blocks.create(0, ByteString.EMPTY, List.of(ByteString.copyFromUtf8("config")));
        var next = Blocks.next(genesis, List.of(ByteString.copyFromUtf8("tx")));
        assertThat(next.getHeader().getNumber()).isEqualTo(1);
        assertThat(next.getHeader().getPreviousHash().toByteArray()).isEqualTo(BlockHashing.headerHash(genesis.getHeader()));
        assertThat(Blocks.dataHashMatches(next)).isTrue();
        assertThat(next.getMetadata().getMetadataCount()).isEqualTo(BlockMetadataSlots.COUNT);
    }

    @Test
    void txIdIsHexSha256OfNonceAndCreator() {
        assertThat(TxIds.compute("nonce-bytes".getBytes(StandardCharsets.UTF_8),
                "creator-bytes".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("21755d036400d8ca9fcee8b279eb54fe707c2735289e0c6a2c15e50d5480bbbc");
    }

    private static byte[] sha(String text) {
        return Hashes.sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
