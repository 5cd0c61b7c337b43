package org.banyan.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import javax.net.ssl.SSLException;
import org.banyan.crypto.SigningIdentity;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.node.Node;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.local.LocalNetwork;
import org.banyan.node.local.SampleEnvelopes;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.EndorserTransactions;
import org.banyan.protocol.TxIds;
import org.banyan.protocol.config.ChannelProfile;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Ordering throughput and submit-to-commit latency of {@value #CONSENTERS} BFT consenters on loopback, next to the
 * machine's ECDSA P-256 verify bound, in one run.
 *
 * <p>Flow: measure verify/s of the default provider on one core and on all cores; lay out a
 * {@value #CONSENTERS}-organisation network ({@link LocalNetwork}) in a temporary directory and start its nodes
 * in this JVM (real gRPC with mutual TLS between consenters, RocksDB ledgers, fsynced safety state); sign every
 * envelope before timing (endorser transactions of the generated users, no endorsements, one written value sized
 * so the envelope is about {@code --envelope-bytes}); submit them through Broadcast from {@code --clients}
 * streams spread over the nodes, at most {@code --inflight} submitted but not yet committed (a closed loop: by
 * Little's law latency ≈ inflight ÷ throughput once the window is the limit). One thread polls node 1's ledger
 * height every millisecond; an envelope's commit time is when its block is first seen there. The warm-up
 * envelopes go through the same path first and are not counted. At the end every ledger must hold every
 * envelope exactly once, on the same chain. Each node validates every block as a Fabric peer does before
 * committing it; without endorsements the envelopes are ordered and then marked ENDORSEMENT_POLICY_FAILURE (the
 * codes per ledger are printed), so this measures ordering, not chaincode transactions.
 *
 * <p>Bound: a consenter that checks each envelope's creator signature once needs one verification per envelope,
 * so {@value #CONSENTERS} consenters sharing this machine's cores can order at most (verify/s over all cores) ÷
 * {@value #CONSENTERS} envelopes per second. (The commit-time check of the same creator signature is answered
 * from the node's signature memo.) Usage: {@code OrderingBench [--envelopes N] [--envelope-bytes B]
 * [--batch M] [--clients C] [--inflight K] [--warmup N] [--verify-seconds S] [--out FILE]}.
 */
public final class OrderingBench {
    static final int CONSENTERS = 4;
    private static final String CHANNEL = "benchchannel";
    private static final String NAMESPACE = "asset";
    private static final int USERS_PER_ORG = 2;
    /** No commit for this long ends the run with an error. */
    private static final Duration STALL_MAX = Duration.ofSeconds(60);
    private static final int PROFILE_ROWS_MAX = 14;

    private OrderingBench() {}

    /**
     * @param envelopes measured envelopes
     * @param envelopeBytes target size of one encoded signed envelope
     * @param batch Fabric BatchSize.MaxMessageCount: most envelopes in one block
     * @param clients concurrent Broadcast streams, client c on node c mod {@value #CONSENTERS}
     * @param inflight most envelopes submitted and not yet seen committed
     * @param warmup envelopes ordered before measuring, not counted
     * @param verifySeconds measuring time of each verify rate (after an equal warm-up)
     */
    public record Config(int envelopes, int envelopeBytes, int batch, int clients, int inflight, int warmup,
            double verifySeconds, long seed) {
        public Config {
            if (envelopes < 1 || envelopeBytes < 1 || batch < 1 || clients < 1 || inflight < 1 || warmup < 0
                    || verifySeconds <= 0) {
                throw new IllegalArgumentException("every option must be positive (warmup may be 0): " + this);
            }
        }

        public static Config defaults() {
            return new Config(20_000, 1024, 500, 8, 2_000, 2_000, 2, 42);
        }
    }

    /** What ran on and around the machine. */
    public record Machine(String cpu, int cores, String jdk, String loadAverageBefore, String loadAverageAfter) {}

    /**
     * One node's ledger after the run.
     *
     * @param tipHash header hash (hex) of the block with which node 1's ledger held every envelope, or "behind"
     */
    public record LedgerCheck(String node, long height, Map<String, Long> validationCodes, long missing,
            long duplicates, long foreign, String tipHash) {}

    /** CPU time of a group of threads (names with digits and node names folded) over the measured window. */
    public record ThreadGroupCpu(String threads, int count, double cpuSeconds, double cores) {}

    /**
     * @param throughputPerSecond measured envelopes ÷ (last commit seen − first submit)
     * @param boundPerSecond verify/s over all cores ÷ {@value #CONSENTERS}
     * @param ratio throughput ÷ bound
     * @param blocks blocks holding measured envelopes; {@code envelopesPerBlock} their mean fill
     * @param rounds consensus rounds node 1 went through while measuring (more than blocks: timeouts or empty
     *     rounds)
     * @param refusals Broadcast responses other than SUCCESS (those envelopes were resubmitted)
     * @param processCores process CPU time ÷ window: how many cores the JVM kept busy
     */
    public record Result(int envelopes, double envelopeBytesMean, int batch, int clients, int inflight, int warmup,
            int consenters, double seconds, double throughputPerSecond, double latencyMillisP50,
            double latencyMillisP90, double latencyMillisP99, double latencyMillisMax, double verifyPerSecondOneCore,
            double verifyPerSecondAllCores, int cores, double boundPerSecond, double ratio, long blocks,
            double envelopesPerBlock, long rounds, long refusals, boolean ledgersComplete, List<LedgerCheck> ledgers,
            double processCores, double gcSeconds, List<ThreadGroupCpu> cpuByThreads, Machine machine,
            String date, double generateSeconds) {}

    /** Runs the whole benchmark in a fresh temporary directory, deleted afterwards. */
    public static Result run(Config config) throws Exception {
        String loadBefore = loadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        Duration verifyTime = Duration.ofMillis((long) (config.verifySeconds() * 1000));
        double verifyOne = SignatureBench.defaultVerifyPerSecond(KeyType.ECDSA_P256, 1, verifyTime);
        double verifyAll = SignatureBench.defaultVerifyPerSecond(KeyType.ECDSA_P256, cores, verifyTime);
        Path dir = Files.createTempDirectory("ordering-bench");
        try {
            LocalNetwork.Layout layout = LocalNetwork.write(dir, CONSENTERS, CHANNEL,
                    SampleEnvelopes.freeBasePort(CONSENTERS), USERS_PER_ORG, new ChannelProfile.BatchParameters(config.batch(),
                            ChannelProfile.BatchParameters.DEFAULTS.absoluteMaxBytes(),
                            ChannelProfile.BatchParameters.DEFAULTS.preferredMaxBytes(),
                            ChannelProfile.BatchParameters.DEFAULTS.batchTimeoutMillis()), "");
            long generateStart = System.nanoTime();
            EnvelopeSet set = EnvelopeSet.generate(layout, config);
            double generateSeconds = (System.nanoTime() - generateStart) / 1e9;
            List<Node> nodes = new ArrayList<>();
            try {
                for (LocalNetwork.NodeLayout node : layout.nodes()) {
                    nodes.add(Node.start(NodeConfig.load(node.configFile())));
                }
                Run run = new Run(config, layout, nodes, set);
                Run.Measured measured = run.execute();
                List<LedgerCheck> checks = checkLedgers(nodes, layout, set, run.heightHoldingAll());
                Machine machine = new Machine(cpuModel(), cores, System.getProperty("java.vm.vendor") + " "
                        + System.getProperty("java.runtime.version"), loadBefore, loadAverage());
                return summarise(config, set, measured, checks, verifyOne, verifyAll, machine, generateSeconds);
            } finally {
                nodes.forEach(Node::close);
            }
        } finally {
            CommitBench.deleteRecursively(dir);
        }
    }

    private static Result summarise(Config config, EnvelopeSet set, Run.Measured m, List<LedgerCheck> checks,
            double verifyOne, double verifyAll, Machine machine, double generateSeconds) {
        long[] latencies = m.latencyNanos().clone();
        Arrays.sort(latencies);
        double seconds = m.windowNanos() / 1e9;
        double throughput = config.envelopes() / seconds;
        double bound = verifyAll / CONSENTERS;
        boolean complete = checks.stream().allMatch(c -> c.missing() == 0 && c.duplicates() == 0)
                && checks.stream().map(LedgerCheck::tipHash).distinct().count() == 1;
        return new Result(config.envelopes(), set.bytesMean(), config.batch(), config.clients(), config.inflight(),
                config.warmup(), CONSENTERS, seconds, throughput, CommitBench.percentile(latencies, 0.50),
                CommitBench.percentile(latencies, 0.90), CommitBench.percentile(latencies, 0.99),
                latencies[latencies.length - 1] / 1e6, verifyOne, verifyAll, machine.cores(), bound,
                throughput / bound, m.blocks(), (double) config.envelopes() / m.blocks(), m.rounds(), m.refusals(), complete,
                checks, m.processCpuNanos() / (double) m.windowNanos(), m.gcMillis() / 1e3, m.cpuByThreads(),
                machine, Instant.now().toString(), generateSeconds);
    }

    /** Pre-signed envelopes, warm-up ones first, and their transaction ids. */
    record EnvelopeSet(List<Envelope> envelopes, Map<String, Integer> indexByTxId, double bytesMean) {
        static EnvelopeSet generate(LocalNetwork.Layout layout, Config config) {
            List<SigningIdentity> users = new ArrayList<>();
            for (LocalNetwork.NodeLayout node : layout.nodes()) {
                for (Path mspDir : node.userMspDirs()) {
                    users.add(LocalSigningIdentity.load(mspDir, node.mspId()));
                }
            }
            int overhead = write(users.getFirst(), 0, 0, config.seed()).getSerializedSize();
            int valueBytes = Math.max(0, config.envelopeBytes() - overhead);
            if (overhead > config.envelopeBytes()) {
                System.err.printf("note: the smallest signed envelope here is %d bytes (the creator's certificate "
                        + "is in it twice, as in Fabric); the written value is empty%n", overhead);
            }
            int total = config.warmup() + config.envelopes();
            List<Envelope> envelopes = IntStream.range(0, total).parallel()
                    .mapToObj(i -> write(users.get(i % users.size()), i, valueBytes, config.seed())).toList();
            Map<String, Integer> index = new HashMap<>(total * 2);
            long bytes = 0;
            for (int i = 0; i < total; i++) {
                bytes += envelopes.get(i).getSerializedSize();
                if (index.put(txId(envelopes.get(i).getPayload()), i) != null) {
                    throw new IllegalStateException("two generated envelopes share a transaction id");
                }
            }
            return new EnvelopeSet(envelopes, index, (double) bytes / total);
        }

        /** A signed endorser transaction writing one random value under {@code key-i}. */
        private static Envelope write(SigningIdentity client, int i, int valueBytes, long seed) {
            Random random = new Random(seed * 1_000_003L + i);
            byte[] value = new byte[valueBytes];
            random.nextBytes(value);
            KVRWSet rwSet = KVRWSet.newBuilder()
                    .addWrites(KVWrite.newBuilder().setKey("key-" + i).setValue(ByteString.copyFrom(value))).build();
            TxReadWriteSet results = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV)
                    .addNsRwset(NsReadWriteSet.newBuilder().setNamespace(NAMESPACE).setRwset(rwSet.toByteString()))
                    .build();
            byte[] nonce = new byte[TxIds.NONCE_BYTES];
            random.nextBytes(nonce);
            return EndorserTransactions.build(new EndorserTransactions.Invocation(CHANNEL, NAMESPACE,
                    List.of(ByteString.copyFromUtf8("put"), ByteString.copyFromUtf8("key-" + i)), results,
                    Timestamp.newBuilder().setSeconds(1_700_000_000L + i).build(), nonce), client, List.of());
        }
    }

    /** The transaction id in an envelope's payload (the ledger and the bench both know it this way). */
    static String txId(ByteString envelopePayload) {
        try {
            Payload payload = Payload.parseFrom(envelopePayload);
            return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("an envelope in the ledger does not parse", e);
        }
    }

    /** Submission, commit watching and the measured window. */
    static final class Run {
        record Measured(long windowNanos, long[] latencyNanos, long blocks, long rounds, long refusals,
                long processCpuNanos, long gcMillis, List<ThreadGroupCpu> cpuByThreads) {}

        private final Config config;
        private final LocalNetwork.Layout layout;
        private final List<Node> nodes;
        private final EnvelopeSet set;
        private final long[] submitNanos;
        private final long[] commitNanos;
        private final long[] blockOf;
        private final Semaphore window;
        private final AtomicInteger committed = new AtomicInteger();
        private final AtomicLong refusals = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Run(Config config, LocalNetwork.Layout layout, List<Node> nodes, EnvelopeSet set) {
            this.config = config;
            this.layout = layout;
            this.nodes = nodes;
            this.set = set;
            int total = set.envelopes().size();
            this.submitNanos = new long[total];
            this.commitNanos = new long[total];
            this.blockOf = new long[total];
            this.window = new Semaphore(config.inflight());
        }

        Measured execute() throws Exception {
            ChannelLedger ledger = nodes.getFirst().channel(CHANNEL).orElseThrow().ledger();
            Thread watcher = new Thread(() -> watch(ledger), "bench-commit-watcher");
            watcher.setDaemon(true);
            NioEventLoopGroup loop = new NioEventLoopGroup(2, new DefaultThreadFactory("bench-client-elg", true));
            List<Client> clients = new ArrayList<>();
            try {
                for (int c = 0; c < config.clients(); c++) {
                    clients.add(new Client(layout.nodes().get(c % CONSENTERS), loop));
                }
                watcher.start();
                stop(phase(clients, 0, config.warmup()));
                long roundBefore = roundOfFirstNode();
                CpuProfile profile = CpuProfile.start();
                List<Thread> senders = phase(clients, config.warmup(), config.warmup() + config.envelopes());
                CpuProfile.Window cpu = profile.stop(); // before the senders end, so their CPU time counts
                stop(senders);
                return measured(cpu, roundOfFirstNode() - roundBefore);
            } finally {
                watcher.interrupt();
                clients.forEach(Client::close);
                loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
                watcher.join(5_000);
            }
        }

        /** Node 1's ledger height once it held every envelope (later blocks there may be empty). */
        long heightHoldingAll() {
            return Arrays.stream(blockOf).max().orElse(0) + 1;
        }

        private long roundOfFirstNode() {
            return nodes.getFirst().channel(CHANNEL).orElseThrow().status().round();
        }

        private Measured measured(CpuProfile.Window cpu, long rounds) {
            int from = config.warmup();
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long[] latencies = new long[config.envelopes()];
            java.util.Set<Long> blocks = new java.util.HashSet<>();
            for (int i = from; i < from + config.envelopes(); i++) {
                first = Math.min(first, submitNanos[i]);
                last = Math.max(last, commitNanos[i]);
                latencies[i - from] = commitNanos[i] - submitNanos[i];
                blocks.add(blockOf[i]);
            }
            return new Measured(last - first, latencies, blocks.size(), rounds, refusals.get(), cpu.processCpuNanos(),
                    cpu.gcMillis(), cpu.groups());
        }

        /**
         * Submits envelopes [from, to) round-robin over the clients and waits until node 1 has committed them;
         * returns the sender threads, still running (they resubmit refused envelopes until stopped).
         */
        private List<Thread> phase(List<Client> clients, int from, int to) throws InterruptedException {
            List<Thread> senders = new ArrayList<>();
            for (int c = 0; c < clients.size(); c++) {
                Client client = clients.get(c);
                int first = from + c;
                Thread sender = new Thread(() -> send(client, first, to), "bench-client-" + c);
                sender.setDaemon(true);
                senders.add(sender);
                sender.start();
            }
            long lastProgress = System.nanoTime();
            int lastCommitted = -1;
            while (committed.get() < to) {
                if (failure.get() != null) {
                    throw new IllegalStateException("the run failed", failure.get());
                }
                if (committed.get() != lastCommitted) {
                    lastCommitted = committed.get();
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL_MAX.toNanos()) {
                    throw new IllegalStateException("no commit for " + STALL_MAX.toSeconds() + " s: " + lastCommitted
                            + " of " + to + " committed, " + refusals.get() + " refusals; nodes: "
                            + nodes.stream().map(Node::status).toList());
                }
                Thread.sleep(10);
            }
            return senders;
        }

        private static void stop(List<Thread> senders) throws InterruptedException {
            for (Thread sender : senders) {
                sender.interrupt();
                sender.join(5_000);
            }
        }

        /** One sender: every {@code clients}-th envelope from {@code first}, then resubmits refused ones. */
        private void send(Client client, int first, int to) {
            try {
                for (int i = first; i < to; i += config.clients()) {
                    window.acquire();
                    submitNanos[i] = System.nanoTime();
                    client.submit(i);
                }
                while (true) {
                    Integer refused = client.refused.poll();
                    if (refused == null) {
                        Thread.sleep(1);
                    } else {
                        client.submit(refused); // keeps its first submit time and its window permit
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }

        /** Polls the ledger height every millisecond and records when each envelope's block was first seen. */
        private void watch(ChannelLedger ledger) {
            long next = 1;
            while (!Thread.currentThread().isInterrupted()) {
                long height = ledger.height();
                if (next >= height) {
                    LockSupport.parkNanos(1_000_000);
                    continue;
                }
                long seenNanos = System.nanoTime();
                for (; next < height; next++) {
                    Block block = ledger.block(next).orElseThrow();
                    for (int t = 0; t < block.getData().getDataCount(); t++) {
                        record(block, t, seenNanos);
                    }
                }
            }
        }

        private void record(Block block, int t, long seenNanos) {
            Envelope envelope;
            try {
                envelope = Envelope.parseFrom(block.getData().getData(t));
            } catch (InvalidProtocolBufferException e) {
                failure.compareAndSet(null, e);
                return;
            }
            Integer index = set.indexByTxId().get(txId(envelope.getPayload()));
            if (index == null) {
                return; // the final ledger check counts these
            }
            if (commitNanos[index] == 0) {
                commitNanos[index] = seenNanos;
                blockOf[index] = block.getHeader().getNumber();
                committed.incrementAndGet();
                window.release();
            }
        }

        /** One Broadcast stream to one node; responses come back in order, so a queue maps them to envelopes. */
        final class Client implements AutoCloseable {
            private final ManagedChannel channel;
            private final StreamObserver<Envelope> requests;
            private final ArrayDeque<Integer> awaiting = new ArrayDeque<>();
            final ConcurrentLinkedQueue<Integer> refused = new ConcurrentLinkedQueue<>();

            Client(LocalNetwork.NodeLayout node, NioEventLoopGroup loop) throws SSLException {
                channel = NettyChannelBuilder.forAddress("127.0.0.1", node.broadcastPort())
                        .sslContext(GrpcSslContexts.forClient().trustManager(node.tlsCaCert().toFile()).build())
                        .eventLoopGroup(loop).channelType(NioSocketChannel.class).build();
                requests = AtomicBroadcastGrpc.newStub(channel).broadcast(new StreamObserver<>() {
                    @Override
                    public void onNext(BroadcastResponse response) {
                        Integer index;
                        synchronized (awaiting) {
                            index = awaiting.poll();
                        }
                        if (response.getStatus() != Status.SUCCESS) {
                            refusals.incrementAndGet();
                            refused.add(index);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        failure.compareAndSet(null, t);
                    }

                    @Override
                    public void onCompleted() {}
                });
            }

            /** Called only by this client's sender thread (a gRPC stream takes one writer). */
            void submit(int index) {
                synchronized (awaiting) {
                    awaiting.add(index);
                }
                requests.onNext(set.envelopes().get(index));
            }

            @Override
            public void close() {
                try {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * Waits until every ledger reaches {@code target} (where node 1 held every envelope; the others learn the last
     * commit only from a later proposal, which an idle channel may never send), then counts every generated
     * envelope in each below it and compares the header hash of block {@code target - 1}.
     */
    private static List<LedgerCheck> checkLedgers(List<Node> nodes, LocalNetwork.Layout layout, EnvelopeSet set,
            long target) throws InterruptedException {
        long deadline = System.nanoTime() + STALL_MAX.toNanos();
        while (System.nanoTime() < deadline && nodes.stream()
                .anyMatch(n -> n.channel(CHANNEL).orElseThrow().ledger().height() < target)) {
            Thread.sleep(10);
        }
        List<LedgerCheck> checks = new ArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
            checks.add(checkLedger(layout.nodes().get(n).name(),
                    nodes.get(n).channel(CHANNEL).orElseThrow().ledger(), target, set));
        }
        return List.copyOf(checks);
    }

    private static LedgerCheck checkLedger(String name, ChannelLedger ledger, long height, EnvelopeSet set) {
        int[] seen = new int[set.envelopes().size()];
        long foreign = 0;
        Map<String, Long> codes = new TreeMap<>();
        for (long number = 1; number < Math.min(height, ledger.height()); number++) {
            Block block = ledger.block(number).orElseThrow();
            for (int t = 0; t < block.getData().getDataCount(); t++) {
                Integer index;
                try {
                    index = set.indexByTxId().get(txId(Envelope.parseFrom(block.getData().getData(t)).getPayload()));
                } catch (InvalidProtocolBufferException e) {
                    index = null;
                }
                if (index == null) {
                    foreign++;
                } else {
                    codes.merge(Blocks.validationCode(block, t).name(), 1L, Long::sum);
                    seen[index]++;
                }
            }
        }
        long missing = Arrays.stream(seen).filter(s -> s == 0).count();
        long duplicates = Arrays.stream(seen).filter(s -> s > 1).count();
        String tip = ledger.height() < height ? "behind" : java.util.HexFormat.of().formatHex(
                BlockHashing.headerHash(ledger.block(height - 1).orElseThrow().getHeader()));
        return new LedgerCheck(name, ledger.height(), codes, missing, duplicates, foreign, tip);
    }

    /** CPU time per thread group between {@link #start()} and {@link CpuProfile#stop()}. */
    record CpuProfile(long startNanos, Map<Long, Long> threadCpu, long processCpuStart, long gcMillisStart) {
        record Window(long processCpuNanos, long gcMillis, List<ThreadGroupCpu> groups) {}

        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        static CpuProfile start() {
            Map<Long, Long> cpu = new HashMap<>();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                cpu.put(thread.threadId(), THREADS.getThreadCpuTime(thread.threadId()));
            }
            return new CpuProfile(System.nanoTime(), cpu, processCpu(), gcMillisTotal());
        }

        Window stop() {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            Map<String, long[]> groups = new TreeMap<>();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                long now = THREADS.getThreadCpuTime(thread.threadId());
                long used = now - threadCpu.getOrDefault(thread.threadId(), 0L);
                if (now < 0 || used <= 0) {
                    continue;
                }
                long[] group = groups.computeIfAbsent(fold(thread.getName()), k -> new long[2]);
                group[0] += used;
                group[1]++;
            }
            List<ThreadGroupCpu> rows = new ArrayList<>(groups.entrySet().stream()
                    .map(e -> new ThreadGroupCpu(e.getKey(), (int) e.getValue()[1], e.getValue()[0] / 1e9,
                            e.getValue()[0] / 1e9 / seconds)).toList());
            long process = processCpu() - processCpuStart;
            double javaThreadSeconds = rows.stream().mapToDouble(ThreadGroupCpu::cpuSeconds).sum();
            double otherSeconds = Math.max(0, process / 1e9 - javaThreadSeconds);
            // JVM-internal threads (GC, JIT) and native ones (RocksDB compaction and flush) have no Java Thread.
            rows.add(new ThreadGroupCpu("(other: GC, JIT, RocksDB native)", 0, otherSeconds, otherSeconds / seconds));
            rows.sort(Comparator.comparingDouble(ThreadGroupCpu::cpuSeconds).reversed());
            return new Window(process, gcMillisTotal() - gcMillisStart, List.copyOf(rows));
        }

        /** {@code banyan-consensus-org3-benchchannel} → {@code banyan-consensus-orgN-benchchannel}, digits → #. */
        static String fold(String threadName) {
            return threadName.replaceAll("org\\d+", "orgN").replaceAll("\\d+", "#");
        }

        private static long processCpu() {
            return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? os.getProcessCpuTime() : 0;
        }

        private static long gcMillisTotal() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
        }
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst()
                    .orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

    /** The 1, 5 and 15 minute load averages (the machine may be shared), or "n/a". */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** Prints the table and the CPU profile; {@code --out FILE} also writes JSON. */
    public static void main(String[] args) throws Exception {
        Config d = Config.defaults();
        int envelopes = d.envelopes();
        int envelopeBytes = d.envelopeBytes();
        int batch = d.batch();
        int clients = d.clients();
        Integer inflight = null;
        int warmup = d.warmup();
        double verifySeconds = d.verifySeconds();
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--envelopes" -> envelopes = Integer.parseInt(args[++i]);
                case "--envelope-bytes" -> envelopeBytes = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--inflight" -> inflight = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--verify-seconds" -> verifySeconds = Double.parseDouble(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("usage: OrderingBench [--envelopes N] "
                        + "[--envelope-bytes B] [--batch M] [--clients C] [--inflight K (default 4 x batch)] "
                        + "[--warmup N] [--verify-seconds S] [--out FILE]");
            }
        }
        Config config = new Config(envelopes, envelopeBytes, batch, clients, inflight == null ? 4 * batch : inflight,
                warmup, verifySeconds, d.seed());
        Result result = run(config);
        print(result);
        if (out != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
        }
        if (!result.ledgersComplete()) {
            System.exit(1);
        }
    }

    private static void print(Result r) {
        System.out.printf("%n%d consenters on loopback, %d clients, at most %d in flight, %d warm-up envelopes; "
                + "load average %s before, %s after; %s, %s%n%n", r.consenters(), r.clients(), r.inflight(),
                r.warmup(), r.machine().loadAverageBefore(), r.machine().loadAverageAfter(), r.machine().cpu(),
                r.machine().jdk());
        System.out.println("| envelopes | envelope bytes | block size | env/s | p50 ms | p90 ms | p99 ms | max ms "
                + "| verify/s per core | cores | bound env/s | ratio |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        System.out.printf("| %d | %.0f | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.0f | %d | %.0f | %.2f |%n",
                r.envelopes(), r.envelopeBytesMean(), r.batch(), r.throughputPerSecond(), r.latencyMillisP50(),
                r.latencyMillisP90(), r.latencyMillisP99(), r.latencyMillisMax(), r.verifyPerSecondOneCore(),
                r.cores(), r.boundPerSecond(), r.ratio());
        System.out.printf("%nverify/s all cores %.0f; window %.2f s; %d blocks, %.1f envelopes/block, %d rounds; "
                + "%d refusals resubmitted; JVM busy %.2f cores, GC %.2f s%n", r.verifyPerSecondAllCores(),
                r.seconds(), r.blocks(), r.envelopesPerBlock(), r.rounds(), r.refusals(), r.processCores(),
                r.gcSeconds());
        for (LedgerCheck c : r.ledgers()) {
            System.out.printf("ledger %s: height %d, codes %s, %d missing, %d duplicated, %d foreign, tip %s%n",
                    c.node(), c.height(), c.validationCodes(), c.missing(), c.duplicates(), c.foreign(),
                    c.tipHash().length() > 16 ? c.tipHash().substring(0, 16) : c.tipHash());
        }
        System.out.println(r.ledgersComplete() ? "every ledger holds every envelope exactly once, same tip"
                : "LEDGER CHECK FAILED");
        System.out.printf("%nCPU over the measured window by thread group (cores = CPU s / window s):%n");
        System.out.printf("%-52s %7s %8s %6s%n", "threads", "count", "cpu s", "cores");
        for (ThreadGroupCpu g : r.cpuByThreads().subList(0, Math.min(PROFILE_ROWS_MAX, r.cpuByThreads().size()))) {
            System.out.printf("%-52s %7d %8.2f %6.2f%n", g.threads(), g.count(), g.cpuSeconds(), g.cores());
        }
    }
}
