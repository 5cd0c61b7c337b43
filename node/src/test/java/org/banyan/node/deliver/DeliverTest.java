package org.banyan.node.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.banyan.crypto.SigningIdentity;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.node.Await;
import org.banyan.node.Node;
import org.banyan.node.TestEnvelopes;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.local.LocalNetwork;
import org.banyan.node.local.NetworkClient;
import org.banyan.node.orderer.BroadcastClient;
import org.banyan.protocol.TransactionParser;
import org.banyan.protocol.config.ChannelProfile;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNextCommit;
import org.hyperledger.fabric.protos.orderer.SeekOldest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.hyperledger.fabric.protos.peer.FilteredTransaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fabric's peer Deliver on a one-node channel: seek semantics, filtered blocks, waiting, access control. */
class DeliverTest {
    private static final String CHANNEL = "mychannel";
    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;
    private Node node;
    private ManagedChannel grpc;
    private LocalNetwork.NodeLayout layout;
    private LocalSigningIdentity client;
    private List<LocalSigningIdentity> endorsers;
    /** The first block after the chaincode's definition (approval and commit come first). */
    private long firstSampleBlock;
    private final List<String> txIds = new ArrayList<>();

    @BeforeEach
    void startNodeWithThirtyTransactions() throws Exception {
        int base = TestEnvelopes.freeBasePort(1);
        LocalNetwork.Layout network = LocalNetwork.write(dir.resolve("net"), 1, CHANNEL, base, 1,
                new ChannelProfile.BatchParameters(10, 10 << 20, 2 << 20, 2_000), "");
        layout = network.nodes().getFirst();
        endorsers = network.majorityOfPeers();
        node = Node.start(NodeConfig.load(layout.configFile()));
        client = LocalSigningIdentity.load(layout.userMspDirs().getFirst(), layout.mspId());
        try (NetworkClient lifecycle = new NetworkClient(network)) {
            lifecycle.define("asset", "1.0", 1, NetworkClient.channelPolicy(NetworkClient.DEFAULT_ENDORSEMENT_POLICY),
                    "", Duration.ofSeconds(WAIT_SECONDS));
        }
        firstSampleBlock = height();
        submit(0, 30);
        grpc = NettyChannelBuilder.forAddress("127.0.0.1", layout.broadcastPort())
                .sslContext(GrpcSslContexts.forClient().trustManager(layout.tlsCaCert().toFile()).build()).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (grpc != null) {
            grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (node != null) {
            node.close();
        }
    }

    private void submit(int from, int to) throws Exception {
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = from; i < to; i++) {
            // Every third transaction lacks its endorsement: ordered, then ENDORSEMENT_POLICY_FAILURE.
            Envelope envelope = TestEnvelopes.write(CHANNEL, client, i, 20, i % 3 == 2 ? List.of() : endorsers);
            envelopes.add(envelope);
            txIds.add(TransactionParser.parse(envelope).txId());
        }
        try (BroadcastClient broadcast = new BroadcastClient("127.0.0.1", layout.broadcastPort(), layout.tlsCaCert())) {
            assertThat(broadcast.broadcast(envelopes, 30_000)).allMatch(r -> r.getStatus() == Status.SUCCESS);
        }
        assertThat(Await.until(Duration.ofSeconds(WAIT_SECONDS), () -> txIds.stream()
                .allMatch(id -> node.channel(CHANNEL).orElseThrow().ledger().transaction(id).isPresent()))).isTrue();
    }

    private long height() {
        return node.channel(CHANNEL).orElseThrow().ledger().height();
    }

    @Test
    void deliverFromOldestToASpecifiedBlockSendsEachBlockThenSuccess() throws Exception {
        long last = height() - 1;
        List<DeliverResponse> responses = request(false, seek(SeekPosition.newBuilder()
                .setOldest(SeekOldest.getDefaultInstance()).build(), specified(last),
                SeekInfo.SeekBehavior.BLOCK_UNTIL_READY), client, CHANNEL, (int) last + 2);
        for (int n = 0; n <= last; n++) {
            assertThat(responses.get(n).getBlock().getHeader().getNumber()).isEqualTo(n);
        }
        assertThat(responses.getLast().getStatus()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void filteredBlocksShowEachTransactionAndItsCode() throws Exception {
        List<DeliverResponse> responses = request(true, seek(specified(firstSampleBlock), specified(height() - 1),
                SeekInfo.SeekBehavior.BLOCK_UNTIL_READY), client, CHANNEL, (int) (height() - firstSampleBlock + 1));
        List<String> seen = new ArrayList<>();
        for (DeliverResponse response : responses.subList(0, responses.size() - 1)) {
            for (FilteredTransaction tx : response.getFilteredBlock().getFilteredTransactionsList()) {
                int i = seen.size();
                assertThat(tx.getTxValidationCode()).as("transaction %d", i).isEqualTo(i % 3 == 2
                        ? TxValidationCode.ENDORSEMENT_POLICY_FAILURE : TxValidationCode.VALID);
                assertThat(tx.getType()).isEqualTo(HeaderType.ENDORSER_TRANSACTION);
                seen.add(tx.getTxid());
            }
        }
        assertThat(seen).containsExactlyElementsOf(txIds);
        assertThat(responses.getLast().getStatus()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void aStreamWaitsForTheNextCommit() throws Exception {
        LinkedBlockingQueue<DeliverResponse> received = new LinkedBlockingQueue<>();
        StreamObserver<Envelope> requests = DeliverGrpc.newStub(grpc).deliverFiltered(collector(received));
        requests.onNext(seek(SeekPosition.newBuilder().setNextCommit(SeekNextCommit.getDefaultInstance()).build(),
                specified(Long.MAX_VALUE), SeekInfo.SeekBehavior.BLOCK_UNTIL_READY, client, CHANNEL));
        Thread.sleep(300);
        // Nothing with transactions before the next one is submitted (an empty block certifying the last one may
        // still be committed meanwhile).
        assertThat(received).allMatch(r -> r.getFilteredBlock().getFilteredTransactionsCount() == 0);
        submit(30, 31);
        // The next blocks may include the empty block that certified the last one (consensus heights are ledger
        // heights); the first block with a transaction holds the new one.
        DeliverResponse next;
        do {
            next = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(next).isNotNull();
        } while (next.getFilteredBlock().getFilteredTransactionsCount() == 0);
        assertThat(next.getFilteredBlock().getFilteredTransactionsList()).extracting(FilteredTransaction::getTxid)
                .containsExactly(txIds.getLast());
        requests.onCompleted();
    }

    @Test
    void refusalsUseFabricStatuses() throws Exception {
        long beyond = height() + 5;
        assertThat(request(false, seek(specified(beyond), specified(beyond), SeekInfo.SeekBehavior.FAIL_IF_NOT_READY),
                client, CHANNEL, 1).getFirst().getStatus()).isEqualTo(Status.NOT_FOUND);
        assertThat(request(false, seek(specified(0), specified(0), SeekInfo.SeekBehavior.BLOCK_UNTIL_READY),
                client, "nochannel", 1).getFirst().getStatus()).isEqualTo(Status.NOT_FOUND);
        SigningIdentity stranger = LocalSigningIdentity.ephemeral("Org9MSP", "client", "mallory", KeyType.ECDSA_P256,
                Instant.now());
        assertThat(request(false, seek(specified(0), specified(0), SeekInfo.SeekBehavior.BLOCK_UNTIL_READY),
                stranger, CHANNEL, 1).getFirst().getStatus()).isEqualTo(Status.FORBIDDEN);
        Envelope forged = seek(specified(0), specified(0), SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)
                .apply(client, CHANNEL).toBuilder().setSignature(ByteString.copyFrom(new byte[70])).build();
        assertThat(send(false, forged, 1).getFirst().getStatus()).isEqualTo(Status.FORBIDDEN);
    }

    // ---- request building ----

    private interface Seek {
        Envelope apply(SigningIdentity creator, String channelId);
    }

    private static SeekPosition specified(long number) {
        return SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(number)).build();
    }

    private static Seek seek(SeekPosition start, SeekPosition stop, SeekInfo.SeekBehavior behavior) {
        return (creator, channelId) -> seek(start, stop, behavior, creator, channelId);
    }

    private static Envelope seek(SeekPosition start, SeekPosition stop, SeekInfo.SeekBehavior behavior,
            SigningIdentity creator, String channelId) {
        Instant now = Instant.now();
        ChannelHeader channelHeader = ChannelHeader.newBuilder().setType(HeaderType.DELIVER_SEEK_INFO_VALUE)
                .setChannelId(channelId)
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano())).build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder()
                .setCreator(ByteString.copyFrom(creator.serialize())).setNonce(ByteString.copyFrom(new byte[24])).build();
        Payload payload = Payload.newBuilder().setHeader(Header.newBuilder()
                        .setChannelHeader(channelHeader.toByteString()).setSignatureHeader(signatureHeader.toByteString()))
                .setData(SeekInfo.newBuilder().setStart(start).setStop(stop).setBehavior(behavior).build().toByteString())
                .build();
        return Envelope.newBuilder().setPayload(payload.toByteString())
                .setSignature(ByteString.copyFrom(creator.sign(payload.toByteArray()))).build();
    }

    private List<DeliverResponse> request(boolean filtered, Seek seek, SigningIdentity creator, String channelId,
            int expected) throws InterruptedException {
        return send(filtered, seek.apply(creator, channelId), expected);
    }

    /** Sends one request on a new stream and collects {@code expected} responses. */
    private List<DeliverResponse> send(boolean filtered, Envelope request, int expected) throws InterruptedException {
        LinkedBlockingQueue<DeliverResponse> received = new LinkedBlockingQueue<>();
        DeliverGrpc.DeliverStub stub = DeliverGrpc.newStub(grpc);
        StreamObserver<Envelope> requests = filtered ? stub.deliverFiltered(collector(received))
                : stub.deliver(collector(received));
        requests.onNext(request);
        List<DeliverResponse> responses = new ArrayList<>();
        while (responses.size() < expected) {
            DeliverResponse response = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(response).as("response %d of %d", responses.size() + 1, expected).isNotNull();
            responses.add(response);
        }
        requests.onCompleted();
        return responses;
    }

    private static StreamObserver<DeliverResponse> collector(LinkedBlockingQueue<DeliverResponse> received) {
        return new StreamObserver<>() {
            @Override
            public void onNext(DeliverResponse value) {
                received.add(value);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        };
    }
}
