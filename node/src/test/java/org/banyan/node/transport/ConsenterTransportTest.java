package org.banyan.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.banyan.protocol.config.ChannelConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real gRPC with mutual TLS on 127.0.0.1; every server and link is closed after each test. */
@Timeout(60)
class ConsenterTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ALPHA = "alpha";
    private static final String BETA = "beta";

    @TempDir
    Path dir;

    private TestNetwork network;
    private ConsenterDirectory directory;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp() {
        network = new TestNetwork(dir.resolve("net"), 3);
        // Two channels with different consenter orders: org1 is consenter 1 in alpha and 3 in beta.
        ChannelConfig alpha = network.channel(ALPHA, 0, 1, 2);
        ChannelConfig beta = network.channel(BETA, 2, 1, 0);
        directory = ConsenterDirectory.of(List.of(alpha, beta));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
    }

    /** What one node's handler received. */
    private final class Inbox {
        final ConcurrentLinkedQueue<InboundFrame> frames = new ConcurrentLinkedQueue<>();

        boolean has(int from, String channel, String text) {
            return frames.stream().anyMatch(f -> f.fromConsenterId() == from && f.channelId().equals(channel)
                    && new String(f.payload(), StandardCharsets.UTF_8).equals(text));
        }
    }

    private ConsenterServer server(int org, TransportLimits limits, Inbox inbox) {
        ConsenterServer server = new ConsenterServer(network.address(org), network.tls(org), directory, limits,
                inbox.frames::add);
        closeables.add(server);
        server.start();
        return server;
    }

    private PeerLinks links(NodeTlsIdentity identity, TransportLimits limits) {
        PeerLinks links = new PeerLinks(identity, directory, limits);
        closeables.add(links);
        links.start();
        return links;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void framesFlowAllToAllOnEveryChannelWithTheSendersConsenterId() throws Exception {
        long started = System.nanoTime();
        List<Inbox> inboxes = List.of(new Inbox(), new Inbox(), new Inbox());
        List<PeerLinks> links = new ArrayList<>();
        for (int org = 0; org < 3; org++) {
            server(org, TestNetwork.LIMITS, inboxes.get(org));
            links.add(links(network.tls(org), TestNetwork.LIMITS));
        }
        // alpha: org i is consenter i+1; beta: org i is consenter 3-i.
        int frames = 0;
        for (int from = 0; from < 3; from++) {
            for (int to = 0; to < 3; to++) {
                if (from != to) {
                    for (int k = 0; k < 20; k++) {
                        assertThat(links.get(from).send(to + 1, ALPHA, text("a " + from + ">" + to + " #" + k))).isTrue();
                        assertThat(links.get(from).send(3 - to, BETA, text("b " + from + ">" + to + " #" + k))).isTrue();
                        frames += 2;
                    }
                }
            }
        }
        int expected = frames;
        assertThat(TestNetwork.await(WAIT, () -> inboxes.stream().mapToInt(i -> i.frames.size()).sum() == expected))
                .as("all %d frames arrive", expected).isTrue();
        for (int from = 0; from < 3; from++) {
            for (int to = 0; to < 3; to++) {
                if (from != to) {
                    for (int k = 0; k < 20; k++) {
                        assertThat(inboxes.get(to).has(from + 1, ALPHA, "a " + from + ">" + to + " #" + k)).isTrue();
                        assertThat(inboxes.get(to).has(3 - from, BETA, "b " + from + ">" + to + " #" + k)).isTrue();
                    }
                }
            }
        }
        // Sending to oneself is refused, not looped back.
        assertThat(links.get(0).send(1, ALPHA, text("self"))).isFalse();
        System.out.printf("all-to-all: %d frames in %d ms%n", expected, (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void aClientFromAnOrganisationOutsideTheChannelsFailsTheHandshake() throws Exception {
        Inbox inbox = new Inbox();
        ConsenterServer server = server(0, TestNetwork.LIMITS, inbox);
        TestNetwork foreign = new TestNetwork(dir.resolve("foreign"), 1);
        // The foreign node knows the channel (so it dials org1 and trusts its server certificate) but its TLS
        // certificate is issued by a TLS CA no channel MSP lists.
        PeerLinks intruder = links(foreign.tls(0), TestNetwork.LIMITS);
        for (int i = 0; i < 20; i++) {
            intruder.send(1, ALPHA, text("let me in " + i));
        }
        assertThat(TestNetwork.await(WAIT, () -> intruder.stats(1, ALPHA).orElseThrow().streamFailures() >= 2)).isTrue();
        PeerLinks.LinkStats stats = intruder.stats(1, ALPHA).orElseThrow();
        assertThat(stats.streamsOpened()).isZero();
        assertThat(stats.lastFailure().map(Status::getCode)).contains(Status.Code.UNAVAILABLE);
        assertThat(inbox.frames).isEmpty();
        assertThat(server.framesAccepted()).isZero();
    }

    @Test
    void aTrustedCertificateThatIsNoConsenterIsDeniedPermission() throws Exception {
        Inbox inbox = new Inbox();
        ConsenterServer server = server(0, TestNetwork.LIMITS, inbox);
        // org2's peer TLS certificate chains to org2's TLS CA (trusted) but is no consenter's client_tls_cert.
        NodeTlsIdentity peerTls = NodeTlsIdentity.load(network.crypto.orgs().get(1).peerTlsDir());
        PeerLinks impostor = links(peerTls, TestNetwork.LIMITS);
        impostor.send(1, ALPHA, text("hello"));
        assertThat(TestNetwork.await(WAIT, () -> server.streamsRejected() >= 1)).isTrue();
        assertThat(TestNetwork.await(WAIT, () -> impostor.stats(1, ALPHA).orElseThrow().lastFailure()
                .map(Status::getCode).filter(Status.Code.PERMISSION_DENIED::equals).isPresent())).isTrue();
        assertThat(impostor.stats(1, ALPHA).orElseThrow().streamsOpened()).isZero();
        assertThat(inbox.frames).isEmpty();
    }

    @Test
    void oversizedFramesAreRejectedAndTheLinkKeepsWorking() throws Exception {
        int limitBytes = 64 * 1024;
        Inbox inbox = new Inbox();
        ConsenterServer server = server(1, TestNetwork.LIMITS.withFrameBytesMax(limitBytes), inbox);
        // The sender checks its own limit and says why.
        PeerLinks strict = links(network.tls(0), TestNetwork.LIMITS.withFrameBytesMax(limitBytes));
        assertThatThrownBy(() -> strict.send(2, ALPHA, new byte[limitBytes + 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds frameBytesMax " + limitBytes);
        assertThat(strict.send(2, ALPHA, new byte[limitBytes])).isTrue();
        assertThat(TestNetwork.await(WAIT, () -> inbox.frames.size() == 1)).isTrue();
        strict.close();

        // A sender with a larger limit gets its stream reset: gRPC on the server fails it with RESOURCE_EXHAUSTED
        // and sends RST_STREAM, which the client sees as CANCELLED. The link reopens the stream and valid frames
        // flow again; frames queued into the reset stream may be lost.
        PeerLinks lax = links(network.tls(2), TestNetwork.LIMITS);
        assertThat(lax.send(2, ALPHA, text("before"))).isTrue();
        assertThat(TestNetwork.await(WAIT, () -> inbox.has(3, ALPHA, "before"))).isTrue();
        assertThat(lax.send(2, ALPHA, new byte[limitBytes * 2])).isTrue();
        assertThat(TestNetwork.await(WAIT, () -> lax.stats(2, ALPHA).orElseThrow().streamFailures() >= 1)).isTrue();
        assertThat(lax.stats(2, ALPHA).orElseThrow().lastFailure().map(Status::getCode)).contains(Status.Code.CANCELLED);
        assertThat(TestNetwork.await(WAIT, () -> server.streamsReset() >= 1)).isTrue();
        assertThat(sendUntilReceived(lax, 2, ALPHA, inbox, 3, "after")).isTrue();
        assertThat(lax.stats(2, ALPHA).orElseThrow().streamsOpened()).isGreaterThanOrEqualTo(2);
        assertThat(inbox.frames).allMatch(f -> f.payload().length <= limitBytes);
    }

    @Test
    void aRestartedPeerIsReconnectedAutomatically() throws Exception {
        Inbox before = new Inbox();
        ConsenterServer first = server(1, TestNetwork.LIMITS, before);
        PeerLinks links = links(network.tls(0), TestNetwork.LIMITS);
        assertThat(sendUntilReceived(links, 2, ALPHA, before, 1, "one")).isTrue();

        first.close();
        links.send(2, ALPHA, text("while down")); // may be lost
        Thread.sleep(300); // let the link notice and back off at least once
        long restarted = System.nanoTime();
        Inbox after = new Inbox();
        server(1, TestNetwork.LIMITS, after);
        assertThat(sendUntilReceived(links, 2, ALPHA, after, 1, "two")).isTrue();
        System.out.printf("reconnect after restart: %d ms%n", (System.nanoTime() - restarted) / 1_000_000);
        assertThat(links.stats(2, ALPHA).orElseThrow().streamsOpened()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aFullInboundQueueDropsAndCountsWithoutBlockingTheStream() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ConcurrentLinkedQueue<InboundFrame> handled = new ConcurrentLinkedQueue<>();
        ConsenterServer server = new ConsenterServer(network.address(1), network.tls(1), directory,
                TestNetwork.LIMITS.withInboundQueueFramesMax(4), frame -> {
                    try {
                        release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    handled.add(frame);
                });
        closeables.add(server);
        server.start();
        PeerLinks links = links(network.tls(0), TestNetwork.LIMITS);
        for (int i = 0; i < 100; i++) {
            links.send(2, ALPHA, text("f" + i));
        }
        // The handler is stuck on the first frame: 4 wait in the queue, the rest are dropped, none blocks gRPC.
        assertThat(TestNetwork.await(WAIT, () -> server.framesAccepted() + server.framesDroppedQueueFull() == 100)).isTrue();
        assertThat(server.framesAccepted()).isBetween(4L, 5L);
        release.countDown();
        assertThat(TestNetwork.await(WAIT, () -> handled.size() == server.framesAccepted())).isTrue();
        // The stream survived the overflow.
        assertThat(links.send(2, ALPHA, text("later"))).isTrue();
        assertThat(TestNetwork.await(WAIT, () -> handled.stream()
                .anyMatch(f -> new String(f.payload(), StandardCharsets.UTF_8).equals("later")))).isTrue();
    }

    @Test
    void closeStopsServerLinksAndThreadsPromptly() throws Exception {
        ConsenterServer server = server(1, TestNetwork.LIMITS, new Inbox());
        PeerLinks links = links(network.tls(0), TestNetwork.LIMITS);
        assertThat(TestNetwork.await(WAIT, () -> links.stats(2, ALPHA).orElseThrow().streamsOpened() == 1)).isTrue();
        long started = System.nanoTime();
        links.close();
        server.close();
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("close: %d ms%n", millis);
        assertThat(millis).isLessThan(TestNetwork.LIMITS.shutdownTimeoutMillis());
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
                && (t.getName().startsWith("banyan-link-") || t.getName().startsWith("banyan-consenter-dispatch-")));
        assertThat(links.send(2, ALPHA, text("after close"))).isFalse();
    }

    /** Sends {@code text} every 50 ms until it arrives (frames into a dying stream are lost by design). */
    private static boolean sendUntilReceived(PeerLinks links, int to, String channel, Inbox inbox, int from,
                                             String text) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            links.send(to, channel, text(text));
            if (TestNetwork.await(Duration.ofMillis(50), () -> inbox.has(from, channel, text))) {
                return true;
            }
        }
        return false;
    }
}
