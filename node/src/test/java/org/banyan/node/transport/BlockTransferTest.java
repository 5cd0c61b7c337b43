package org.banyan.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;
import org.banyan.protocol.config.ChannelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Block transfer serves a channel's blocks to that channel's consenters only, within the request's bounds. */
class BlockTransferTest {
    @TempDir
    Path dir;

    @Test
    void aConsenterReadsItsChannelsAndIsRefusedAnotherOne() throws Exception {
        TestNetwork network = new TestNetwork(dir.resolve("crypto"), 3);
        ChannelConfig alpha = network.channel("alpha", 0, 1, 2);
        ChannelConfig beta = network.channel("beta", 0, 1);
        ConsenterDirectory directory = ConsenterDirectory.of(List.of(alpha, beta));
        BlockTransfer.BlockSource source = new BlockTransfer.BlockSource() {
            @Override
            public boolean mayRead(X509Certificate peer, String channelId) {
                return directory.consenterId(peer, channelId).isPresent();
            }

            @Override
            public Iterator<byte[]> blocksFrom(String channelId, long fromNumber) {
                return LongStream.range(fromNumber, 10)
                        .mapToObj(n -> (channelId + "-" + n).getBytes(StandardCharsets.UTF_8)).iterator();
            }
        };
        try (ConsenterServer server = new ConsenterServer(network.address(0), network.tls(0), directory,
                TestNetwork.LIMITS, frame -> { }, List.of(BlockTransfer.service(source)));
                BlockTransfer.Fetcher org2 = new BlockTransfer.Fetcher(network.tls(2), directory, TestNetwork.LIMITS);
                BlockTransfer.Fetcher org1 = new BlockTransfer.Fetcher(network.tls(1), directory, TestNetwork.LIMITS)) {
            server.start();
            int org0InAlpha = alpha.consenters().getFirst().getId();
            int org0InBeta = beta.consenters().getFirst().getId();

            List<byte[]> blocks = org2.fetch("alpha", org0InAlpha, 7, 100, 10_000);
            assertThat(blocks).extracting(b -> new String(b, StandardCharsets.UTF_8))
                    .containsExactly("alpha-7", "alpha-8", "alpha-9");
            assertThat(org2.fetch("alpha", org0InAlpha, 3, 2, 10_000)).hasSize(2);
            // org2 is a consenter of alpha only: beta's blocks are not for it.
            assertThatThrownBy(() -> org2.fetch("beta", org0InBeta, 0, 10, 10_000))
                    .isInstanceOf(StatusRuntimeException.class)
                    .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
                            .isEqualTo(Status.Code.PERMISSION_DENIED));
            assertThat(org1.fetch("beta", org0InBeta, 0, 10, 10_000)).hasSize(10);
        }
    }
}
