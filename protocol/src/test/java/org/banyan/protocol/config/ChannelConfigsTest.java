package org.banyan.protocol.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.List;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.peer.AnchorPeer;
import org.junit.jupiter.api.Test;

class ChannelConfigsTest {
    private static ChannelProfile profile(int orgs) {
        List<OrgDefinition> definitions = new java.util.ArrayList<>();
        for (int i = 1; i <= orgs; i++) {
            FabricMSPConfig msp = FabricMSPConfig.newBuilder().setName("Org" + i + "MSP")
                    .addRootCerts(ByteString.copyFromUtf8("root-" + i)).build();
            // Odd organisations announce an anchor peer, even ones none.
            List<AnchorPeer> anchors = i % 2 == 1
                    ? List.of(AnchorPeer.newBuilder().setHost("127.0.0.1").setPort(7150 + i).build()) : List.of();
            definitions.add(new OrgDefinition(msp, "127.0.0.1", 7050 + i,
                    ByteString.copyFromUtf8("identity-" + i), ByteString.copyFromUtf8("tls-" + i), anchors));
        }
        return new ChannelProfile("mychannel", definitions, new ChannelProfile.BatchParameters(100, 4096, 2048, 500));
    }

    @Test
    void genesisRoundTrips() throws Exception {
        Block genesis = ChannelConfigs.genesisBlock(profile(4));
        assertThat(genesis.getHeader().getNumber()).isZero();
        assertThat(Blocks.dataHashMatches(genesis)).isTrue();
        ChannelConfig config = ChannelConfigs.fromBlock(genesis);
        assertThat(config.channelId()).isEqualTo("mychannel");
        assertThat(config.msps().keySet()).containsExactly("Org1MSP", "Org2MSP", "Org3MSP", "Org4MSP");
        assertThat(config.consenters()).extracting(c -> c.getId()).containsExactly(1, 2, 3, 4);
        assertThat(config.consenters().get(2).getPort()).isEqualTo(7053);
        assertThat(config.consenters().get(2).getMspId()).isEqualTo("Org3MSP");
        assertThat(config.batch()).isEqualTo(new ChannelProfile.BatchParameters(100, 4096, 2048, 500));
        assertThat(config.consensusType()).isEqualTo("BFT");
        assertThat(config.anchorPeers("Org3MSP")).containsExactly(
                AnchorPeer.newBuilder().setHost("127.0.0.1").setPort(7153).build());
        assertThat(config.anchorPeers("Org2MSP")).isEmpty();
        assertThat(config.anchorPeers("NoSuchMSP")).isEmpty();
    }

    @Test
    void genesisIsDeterministic() {
        Block a = ChannelConfigs.genesisBlock(profile(3));
        Block b = ChannelConfigs.genesisBlock(profile(3));
        assertThat(a.toByteArray()).isEqualTo(b.toByteArray());
        assertThat(BlockHashing.headerHash(a.getHeader())).isEqualTo(BlockHashing.headerHash(b.getHeader()));
        assertThat(BlockHashing.headerHash(a.getHeader()))
                .isNotEqualTo(BlockHashing.headerHash(ChannelConfigs.genesisBlock(profile(4)).getHeader()));
    }

    @Test
    void nonConfigBlockIsRejected() {
        TestChains chains = new TestChains(1, 8, 8);
        Block block = chains.next(chains.genesis(), 1);
        assertThatThrownBy(() -> ChannelConfigs.fromBlock(block)).isInstanceOf(MalformedTransactionException.class)
                .hasMessageContaining("not a config block");
    }

    @Test
    void invalidChannelNamesAreRejected() {
        assertThatThrownBy(() -> new ChannelProfile("My_Channel", profile(1).orgs(), ChannelProfile.BatchParameters.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel name");
    }

    @Test
    void goDurationsParse() {
        assertThat(ChannelConfig.parseDurationMillis("2s")).isEqualTo(2000);
        assertThat(ChannelConfig.parseDurationMillis("250ms")).isEqualTo(250);
        assertThat(ChannelConfig.parseDurationMillis("1.5s")).isEqualTo(1500);
        assertThatThrownBy(() -> ChannelConfig.parseDurationMillis("soon")).isInstanceOf(IllegalArgumentException.class);
    }
}
