package org.banyan.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.local.LocalNetwork;
import org.banyan.node.local.NetworkClient;
import org.banyan.node.metrics.Scrape;
import org.banyan.protocol.TransactionParser;
import org.banyan.protocol.config.ChannelProfile;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance check of the metrics: a real node (ports on 127.0.0.1, TLS, RocksDB), scraped over HTTP before and
 * after transactions — the height rises and the transactions show up by validation code, as do the Broadcast
 * answers, the commit times and the endorsements.
 */
class MetricsEndpointTest {
    private static final String CHANNEL = "mychannel";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private Node node;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void metricsShowTheHeightRisingAsTransactionsCommit() throws Exception {
        LocalNetwork.Layout network = LocalNetwork.write(dir.resolve("net"), 1, CHANNEL,
                TestEnvelopes.freeBasePort(1), 1, new ChannelProfile.BatchParameters(10, 10 << 20, 2 << 20, 500),
                "");
        LocalNetwork.NodeLayout layout = network.nodes().getFirst();
        node = Node.start(NodeConfig.load(layout.configFile()));
        ChannelLedger ledger = node.channel(CHANNEL).orElseThrow().ledger();
        try (NetworkClient clients = new NetworkClient(network)) {
            // The sample transactions write to chaincode asset; approving and committing it are 2 endorsements.
            clients.define("asset", "1.0", 1, NetworkClient.channelPolicy(NetworkClient.DEFAULT_ENDORSEMENT_POLICY),
                    "", WAIT);
        }
        Scrape before = Scrape.parse(get(layout, "/metrics").body());
        assertThat(get(layout, "/metrics").headers().firstValue("Content-Type"))
                .hasValue("text/plain; version=0.0.4; charset=utf-8");
        double heightBefore = before.value("banyan_ledger_height", "channel", CHANNEL);
        assertThat(heightBefore).isGreaterThanOrEqualTo(1);
        assertThat(before.value("banyan_consensus_running", "channel", CHANNEL)).isEqualTo(1);
        assertThat(before.value("banyan_consensus_leader", "channel", CHANNEL)).as("the only consenter").isZero();

        // 30 transactions with the endorsement they need, 10 without: VALID and ENDORSEMENT_POLICY_FAILURE.
        LocalSigningIdentity client = LocalSigningIdentity.load(layout.userMspDirs().getFirst(), layout.mspId());
        List<Envelope> envelopes = new ArrayList<>();
        List<String> txIds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Envelope envelope = TestEnvelopes.write(CHANNEL, client, i, 20, i < 30 ? network.majorityOfPeers()
                    : List.of());
            envelopes.add(envelope);
            txIds.add(TransactionParser.parse(envelope).txId());
        }
        try (NetworkClient clients = new NetworkClient(network)) {
            assertThat(clients.broadcast(0, envelopes)).extracting(BroadcastResponse::getStatus)
                    .containsOnly(Status.SUCCESS);
            ProposalResponse undefined = clients.endorse(0, clients.proposal(client, "nosuch",
                    List.of(ByteString.copyFromUtf8("put"))));
            assertThat(undefined.getResponse().getStatus()).isEqualTo(500);
        }
        assertThat(Await.until(WAIT, () -> txIds.stream().allMatch(txId -> ledger.transaction(txId).isPresent())))
                .as("all 40 committed").isTrue();

        // The counters follow the ledger on its writer thread: scrape until they show every transaction.
        AtomicReference<Scrape> after = new AtomicReference<>();
        assertThat(Await.until(WAIT, () -> {
            after.set(Scrape.parse(get(layout, "/metrics").body()));
            return after.get().sum("banyan_transactions_total", "channel", CHANNEL) >= 42;
        })).as("the transactions counted").isTrue();
        Scrape scrape = after.get();
        double heightAfter = scrape.value("banyan_ledger_height", "channel", CHANNEL);
        assertThat(heightAfter).as("at least 4 blocks of at most 10").isGreaterThanOrEqualTo(heightBefore + 4);
        assertThat(heightAfter).isLessThanOrEqualTo(ledger.height());
        assertThat(scrape.value("banyan_transactions_total", "channel", CHANNEL, "code", "VALID"))
                .as("30 and the definition's 2").isEqualTo(32);
        assertThat(scrape.value("banyan_transactions_total", "channel", CHANNEL, "code",
                "ENDORSEMENT_POLICY_FAILURE")).isEqualTo(10);
        assertThat(scrape.value("banyan_broadcast_envelopes_total", "channel", CHANNEL, "status", "SUCCESS"))
                .isEqualTo(42);
        assertThat(scrape.value("banyan_block_commit_duration_seconds_count", "channel", CHANNEL))
                .as("one observation per committed block").isGreaterThanOrEqualTo(4);
        assertThat(scrape.value("banyan_block_transactions_sum", "channel", CHANNEL)).isEqualTo(42);
        assertThat(scrape.value("banyan_endorsement_duration_seconds_count", "channel", CHANNEL, "chaincode",
                "_lifecycle", "status", "ok")).isEqualTo(2);
        assertThat(scrape.value("banyan_endorsement_duration_seconds_count", "channel", CHANNEL, "chaincode",
                "other", "status", "error")).as("the undefined chaincode").isEqualTo(1);
        assertThat(scrape.value("banyan_consensus_round", "channel", CHANNEL))
                .isGreaterThanOrEqualTo(before.value("banyan_consensus_round", "channel", CHANNEL));
    }

    private HttpResponse<String> get(LocalNetwork.NodeLayout layout, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + layout.opsPort() + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
