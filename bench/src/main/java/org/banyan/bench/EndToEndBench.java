package org.banyan.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.banyan.cli.Banyan;
import org.banyan.cli.NetworkDescription;
import org.banyan.crypto.sign.Signer;
import org.banyan.crypto.sign.SigningKey;
import org.banyan.node.local.SampleEnvelopes;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Hash;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Proposal;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.peer.FilteredBlock;
import org.hyperledger.fabric.protos.peer.FilteredTransaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * End-to-end throughput and latency through Fabric's gateway, against the machine's cryptographic limit
 * ({@code bench/run e2e}, docs/benchmarks.md). It brings up a local network of real node processes (or uses one with
 * {@code --dir}), deploys the benchmark chaincode ({@code samples}' contract {@code bench}, in-process), signs every
 * proposal before the clock starts (real user identities, ECDSA P-256, one user per organisation, each working
 * through its own organisation's gateway with Fabric's own client SDK), and drives the gateway with {@code K}
 * transactions in flight (closed loop) or at a fixed offered rate (open loop). Commits are taken from a filtered
 * block stream, so a transaction's latency is submit-to-commit-event. Over a steady window after warm-up it
 * reports committed VALID transactions per second, invalid ones by code, latency percentiles, CPU seconds per
 * committed transaction of the node processes, and the signature operations the nodes performed per committed
 * transaction — counted by the nodes themselves ({@code banyan_signature_operations}) — times their per-core cost
 * measured in this run: the crypto bound, and the ratio to it.
 */
public final class EndToEndBench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Signer SIGNER = Signer.withDefaults();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String CHAINCODE = "bench";
    private static final String ACCOUNT_PREFIX = "acct-";
    private static final long SEED_BALANCE = 1_000_000_000L;
    /** Accounts one seeding transaction opens (the contract's limit is 2,000). */
    private static final int SEED_BATCH = 1_000;
    /** Transactions in flight at most in open-loop mode; past it an arrival is counted as dropped. */
    private static final int OPEN_LOOP_INFLIGHT_MAX = 20_000;
    private static final long COMMIT_WAIT_SECONDS = 120;
    /** Node JVMs for measuring: the full JIT and a collector with throughput in mind (network up's are tuned to start). */
    static final String NODE_JVM_OPTIONS = "-Xmx1g -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError";
    /** Replaces {@link #NODE_JVM_OPTIONS}, e.g. to add a JFR recording to every node when profiling. */
    static final String NODE_JVM_OPTIONS_ENV = "BANYAN_BENCH_NODE_JVM_OPTIONS";

    /** The workloads. */
    enum Workload { CREATE, TRANSFER, HOTKEY, QUERY }

    /** The command line. */
    record Options(int orgs, Workload workload, int txs, List<Integer> inflights, double rate, double warmupSeconds,
            double durationSeconds, Path dir, boolean deploy, String policy, int accounts, double zipf, Path out) {
        static Options parse(String[] args) {
            int orgs = 4;
            Workload workload = Workload.CREATE;
            int txs = 40_000;
            List<Integer> inflights = List.of(128);
            double rate = 0;
            double warmup = 20; // four node JVMs on two cores take this long for the JIT to settle
            double duration = 30;
            Path dir = null;
            boolean deploy = true;
            String policy = null;
            int accounts = 10_000;
            double zipf = 0.99; // YCSB's default skew
            Path out = null;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--orgs" -> orgs = Integer.parseInt(args[++i]);
                    case "--workload" -> workload = Workload.valueOf(args[++i].toUpperCase(java.util.Locale.ROOT));
                    case "--txs" -> txs = Integer.parseInt(args[++i]);
                    case "--inflight" -> inflights = List.of(Integer.parseInt(args[++i]));
                    case "--sweep" -> inflights = sweep(value, ++i);
                    case "--rate" -> rate = Double.parseDouble(args[++i]);
                    case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                    case "--duration" -> duration = Double.parseDouble(args[++i]);
                    case "--dir" -> dir = Path.of(args[++i]);
                    case "--no-deploy" -> deploy = false;
                    case "--policy" -> policy = args[++i];
                    case "--accounts" -> accounts = Integer.parseInt(args[++i]);
                    case "--zipf" -> zipf = Double.parseDouble(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; usage: bench/run e2e"
                            + " [--orgs 4] [--workload create|transfer|hotkey|query] [--txs N] [--inflight K |"
                            + " --sweep inflight=16,64,256] [--rate TX_PER_S] [--warmup S] [--duration S] [--dir NET"
                            + " [--no-deploy]] [--policy EXPR] [--accounts N] [--zipf S] [--out FILE]");
                }
            }
            if (!deploy && (dir == null || policy != null)) {
                throw new IllegalArgumentException("--no-deploy needs --dir (a network already running " + CHAINCODE
                        + ") and takes no --policy");
            }
            if (orgs < 1 || txs < 1 || warmup < 0 || duration <= 0 || accounts < 2 || zipf <= 0) {
                throw new IllegalArgumentException("out of range: orgs, txs, accounts >= 1, duration > 0");
            }
            return new Options(orgs, workload, txs, inflights, rate, warmup, duration, dir, deploy, policy, accounts,
                    zipf, out);
        }

        private static List<Integer> sweep(String value, int index) {
            if (!value.startsWith("inflight=")) {
                throw new IllegalArgumentException("--sweep inflight=16,64,256 (argument " + index + ")");
            }
            List<Integer> values = new ArrayList<>();
            for (String part : value.substring("inflight=".length()).split(",")) {
                values.add(Integer.parseInt(part.trim()));
            }
            return List.copyOf(values);
        }
    }

    /** One point of the run: what the JSON asks for, and more. */
    public record Result(String workload, int orgs, String policy, int inflight, double offeredRate, long committed,
            Map<String, Long> invalidByCode, long endorseFailures, double throughputTps, Map<String, Double> latencyMs,
            double conflictRate, double cpuSecondsPerTx, double clientCpuSecondsPerTx, double verificationsPerTx,
            double signaturesPerTx, double signatureOpsPerTx, double verifyMicrosPerCore, double signMicrosPerCore,
            double cryptoBoundTps, double ratioToBound, double windowSeconds, Machine machine, String when) {}

    /** The machine the run measured. */
    public record Machine(String cpu, int cores, String jdk, String loadAverage) {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path dir = options.dir();
        boolean own = dir == null;
        if (own) {
            dir = Files.createTempDirectory("banyan-e2e");
            cli("network", "up", "--dir", dir.toString(), "--orgs", Integer.toString(options.orgs()), "--base-port",
                    Integer.toString(SampleEnvelopes.freeBasePort(options.orgs())), "--node-jvm-options",
                    System.getenv().getOrDefault(NODE_JVM_OPTIONS_ENV, NODE_JVM_OPTIONS),
                    // Production peers run chaincode at WARNING: the contract API logs three lines per call at INFO.
                    "--chaincode-log-level", "warning");
        }
        try {
            NetworkDescription network = NetworkDescription.read(dir);
            if (options.deploy()) {
                // A new definition restarts the chaincode in a new class loader: its code is compiled afresh.
                deploy(dir, options);
            }
            double[] costs = SignatureBench.defaultCostsSeconds(org.banyan.crypto.sign.KeyType.ECDSA_P256,
                    Duration.ofSeconds(1));
            List<Result> results = new ArrayList<>();
            try (Clients clients = new Clients(network)) {
                if (options.workload() != Workload.CREATE) {
                    seed(clients, options.accounts());
                }
                for (int inflight : options.inflights()) {
                    results.add(new Run(options, network, clients, inflight, costs).execute());
                }
            }
            print(results);
            Path out = options.out();
            if (out != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
                JSON.writeValue(out.toFile(), results.size() == 1 ? results.getFirst() : results);
                System.out.println("wrote " + out);
            }
        } finally {
            if (own) {
                cli("network", "down", "--dir", dir.toString());
            }
        }
    }

    /** Runs a banyan command in this JVM; its nodes run on this JVM's class path. */
    private static void cli(String... args) {
        int exit = Banyan.newCommandLine().execute(args);
        if (exit != 0) {
            throw new IllegalStateException("banyan " + String.join(" ", args) + " failed with exit code " + exit);
        }
    }

    private static void deploy(Path dir, Options options) throws IOException {
        List<String> args = new ArrayList<>(List.of("chaincode", "deploy", "--dir", dir.toString(), "--name", CHAINCODE,
                "--jar", samplesJar().toString(), "--mode", "inprocess"));
        if (options.policy() != null) {
            args.addAll(List.of("--policy", options.policy()));
        }
        cli(args.toArray(String[]::new));
    }

    /** {@code samples/target/banyan-samples-*.jar} of this build, beside {@code bench/target/banyan-bench.jar}. */
    private static Path samplesJar() throws IOException {
        Path benchJar;
        try {
            benchJar = Path.of(EndToEndBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        Path target = benchJar.getParent().getParent().getParent().resolve("samples").resolve("target");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "banyan-samples-*.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        }
        throw new IOException("no samples jar under " + target + "; build with ./mvnw -DskipTests package");
    }

    /** One client per organisation: its first user, through its own organisation's gateway. */
    static final class Clients implements AutoCloseable {
        final List<ManagedChannel> channels = new ArrayList<>();
        final List<Gateway> gateways = new ArrayList<>();
        final List<Contract> contracts = new ArrayList<>();
        final List<SigningKey> keys = new ArrayList<>();
        final NetworkDescription network;

        Clients(NetworkDescription network) throws Exception {
            this.network = network;
            for (NetworkDescription.Org org : network.orgs()) {
                String[] hostPort = org.gateway().split(":");
                ManagedChannel channel = NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1]))
                        .sslContext(GrpcSslContexts.forClient().trustManager(org.tlsRootCert().toFile()).build())
                        .build();
                channels.add(channel);
                NetworkDescription.User user = org.users().getFirst();
                try (Reader cert = Files.newBufferedReader(user.cert()); Reader key = Files.newBufferedReader(user.key())) {
                    // The client signs as a Fabric client would (ECDSA P-256 over SHA-256, low-S), with the
                    // provider the nodes use rather than the SDK's default BouncyCastle signer, which costs this
                    // shared machine about ten times as much CPU per signature.
                    SigningKey signingKey = SIGNER.prepare(Identities.readPrivateKey(key));
                    Gateway gateway = Gateway.newInstance()
                            .identity(new X509Identity(org.mspId(), Identities.readX509Certificate(cert)))
                            .hash(Hash.NONE)
                            .signer(message -> SIGNER.sign(signingKey, message))
                            .connection(channel)
                            .evaluateOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                            .endorseOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                            .submitOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                            .commitStatusOptions(o -> o.withDeadlineAfter(120, TimeUnit.SECONDS))
                            .connect();
                    gateways.add(gateway);
                    keys.add(signingKey);
                    contracts.add(gateway.getNetwork(network.channel()).getContract(CHAINCODE, CHAINCODE));
                }
            }
        }

        Network channel(int org) {
            return gateways.get(org).getNetwork(network.channel());
        }

        @Override
        public void close() {
            gateways.forEach(Gateway::close);
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    private static void seed(Clients clients, int accounts) throws Exception {
        long startNanos = System.nanoTime();
        for (int from = 0; from < accounts; from += SEED_BATCH) {
            clients.contracts.getFirst().submitTransaction("Seed", ACCOUNT_PREFIX, Integer.toString(from),
                    Integer.toString(Math.min(SEED_BATCH, accounts - from)), Long.toString(SEED_BALANCE));
        }
        System.out.printf("seeded %,d accounts in %.1f s%n", accounts, (System.nanoTime() - startNanos) / 1e9);
    }

    /** One load point: proposals signed up front, warm-up, the measured window, and what the nodes counted. */
    static final class Run {
        private final Options options;
        private final NetworkDescription network;
        private final Clients clients;
        private final int inflight;
        private final double[] costs;
        private final Map<String, CompletableFuture<TxValidationCode>> pending = new ConcurrentHashMap<>();
        private final Map<String, Long> commitNanos = new ConcurrentHashMap<>();
        private final Recorder latency = new Recorder(TimeUnit.SECONDS.toMicros(COMMIT_WAIT_SECONDS), 3);
        private final Map<TxValidationCode, AtomicLong> codes = new ConcurrentHashMap<>();
        private final AtomicLong endorseFailures = new AtomicLong();
        private final AtomicInteger next = new AtomicInteger();
        private volatile boolean measuring;
        private volatile long endNanos;

        Run(Options options, NetworkDescription network, Clients clients, int inflight, double[] costs) {
            this.options = options;
            this.network = network;
            this.clients = clients;
            this.inflight = inflight;
            this.costs = costs;
        }

        Result execute() throws Exception {
            List<Proposal> proposals = prepare();
            CloseableIterator<FilteredBlock> blocks = options.workload() == Workload.QUERY ? null
                    : clients.channel(0).newFilteredBlockEventsRequest().build().getEvents();
            Thread listener = blocks == null ? null : Thread.ofPlatform().daemon().name("bench-blocks")
                    .start(() -> listen(blocks));
            long startNanos = System.nanoTime();
            endNanos = startNanos + seconds(options.warmupSeconds() + options.durationSeconds());
            List<Thread> workers = new ArrayList<>();
            if (options.rate() > 0) {
                workers.add(Thread.ofPlatform().name("bench-arrivals").start(() -> openLoop(proposals)));
            } else {
                for (int i = 0; i < inflight; i++) {
                    workers.add(Thread.ofVirtual().start(() -> closedLoop(proposals)));
                }
            }
            sleepUntil(startNanos + seconds(options.warmupSeconds()));
            Snapshot before = Snapshot.take(network);
            measuring = true;
            latency.reset();
            codes.clear();
            long windowStartNanos = System.nanoTime();
            sleepUntil(endNanos);
            measuring = false;
            long windowNanos = System.nanoTime() - windowStartNanos;
            Snapshot after = Snapshot.take(network);
            for (Thread worker : workers) {
                worker.join(TimeUnit.SECONDS.toMillis(COMMIT_WAIT_SECONDS));
            }
            if (blocks != null) {
                blocks.close();
                listener.join(5_000);
            }
            return summarise(before, after, windowNanos / 1e9);
        }

        /** Every proposal of the point, signed by its organisation's user before the clock starts. */
        private List<Proposal> prepare() {
            long startNanos = System.nanoTime();
            Random random = new Random(42L + inflight);
            ZipfKeys zipf = new ZipfKeys(options.accounts(), options.zipf(), random);
            String run = Long.toString(System.nanoTime(), 36);
            List<Proposal> proposals = new ArrayList<>(options.txs());
            for (int i = 0; i < options.txs(); i++) {
                int org = i % clients.contracts.size();
                Contract contract = clients.contracts.get(org);
                Proposal unsigned = switch (options.workload()) {
                    case CREATE -> contract.newProposal("Create").addArguments(run + "-" + i, "v" + i).build();
                    case TRANSFER -> transfer(contract, random.nextInt(options.accounts()), random.nextInt(options.accounts()));
                    case HOTKEY -> transfer(contract, zipf.next(), zipf.next());
                    case QUERY -> contract.newProposal("Read")
                            .addArguments(ACCOUNT_PREFIX + random.nextInt(options.accounts())).build();
                };
                // Fabric's offline signing: the proposal is signed now, so the measured loop does not sign it.
                byte[] signature = SIGNER.sign(clients.keys.get(org), unsigned.getDigest());
                proposals.add(clients.gateways.get(org).newSignedProposal(unsigned.getBytes(), signature));
            }
            System.out.printf("signed %,d %s proposals in %.1f s%n", proposals.size(), options.workload(),
                    (System.nanoTime() - startNanos) / 1e9);
            return proposals;
        }

        private static Proposal transfer(Contract contract, int from, int to) {
            int target = from == to ? (to + 1) % Integer.MAX_VALUE : to;
            return contract.newProposal("Transfer").addArguments(ACCOUNT_PREFIX + from, ACCOUNT_PREFIX + target, "1")
                    .build();
        }

        private void closedLoop(List<Proposal> proposals) {
            int index;
            while (System.nanoTime() < endNanos && (index = next.getAndIncrement()) < proposals.size()) {
                one(proposals.get(index));
            }
        }

        private void openLoop(List<Proposal> proposals) {
            long intervalNanos = (long) (1e9 / options.rate());
            long dueNanos = System.nanoTime();
            AtomicInteger open = new AtomicInteger();
            for (int index = 0; index < proposals.size() && System.nanoTime() < endNanos; index++) {
                sleepUntil(dueNanos);
                dueNanos += intervalNanos;
                if (open.get() >= OPEN_LOOP_INFLIGHT_MAX) {
                    endorseFailures.incrementAndGet();
                    continue;
                }
                Proposal proposal = proposals.get(index);
                open.incrementAndGet();
                Thread.ofVirtual().start(() -> {
                    try {
                        one(proposal);
                    } finally {
                        open.decrementAndGet();
                    }
                });
            }
        }

        /** One transaction, endorse to commit event (or one evaluation for the query workload). */
        private void one(Proposal proposal) {
            boolean counted = measuring;
            long startNanos = System.nanoTime();
            try {
                if (options.workload() == Workload.QUERY) {
                    proposal.evaluate();
                    record(counted, startNanos, System.nanoTime(), TxValidationCode.VALID);
                    return;
                }
                Transaction transaction = proposal.endorse();
                CompletableFuture<TxValidationCode> committed = new CompletableFuture<>();
                pending.put(transaction.getTransactionId(), committed);
                transaction.submitAsync();
                TxValidationCode code = committed.get(COMMIT_WAIT_SECONDS, TimeUnit.SECONDS);
                Long at = commitNanos.remove(transaction.getTransactionId());
                record(counted, startNanos, at == null ? System.nanoTime() : at, code);
            } catch (GatewayException | java.util.concurrent.ExecutionException
                     | java.util.concurrent.TimeoutException e) {
                if (counted) {
                    endorseFailures.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void record(boolean counted, long startNanos, long endNanos, TxValidationCode code) {
            if (counted && measuring) {
                latency.recordValue(Math.max(1, (endNanos - startNanos) / 1_000));
                codes.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
            }
        }

        /** Commit events: each filtered block's transactions complete their submitters' waits. */
        private void listen(CloseableIterator<FilteredBlock> blocks) {
            try {
                while (blocks.hasNext()) {
                    FilteredBlock block = blocks.next();
                    long at = System.nanoTime();
                    for (FilteredTransaction tx : block.getFilteredTransactionsList()) {
                        CompletableFuture<TxValidationCode> waiting = pending.remove(tx.getTxid());
                        if (waiting != null) {
                            commitNanos.put(tx.getTxid(), at);
                            waiting.complete(tx.getTxValidationCode());
                        }
                    }
                }
            } catch (RuntimeException e) {
                // closed at the end of the point
            }
        }

        private Result summarise(Snapshot before, Snapshot after, double windowSeconds) {
            Histogram histogram = latency.getIntervalHistogram();
            long valid = codes.getOrDefault(TxValidationCode.VALID, new AtomicLong()).get();
            Map<String, Long> invalid = new LinkedHashMap<>();
            Map<TxValidationCode, Long> sorted = new EnumMap<>(TxValidationCode.class);
            codes.forEach((code, count) -> sorted.put(code, count.get()));
            sorted.forEach((code, count) -> {
                if (code != TxValidationCode.VALID) {
                    invalid.put(code.name(), count);
                }
            });
            long all = sorted.values().stream().mapToLong(Long::longValue).sum();
            Map<String, Double> latencyMs = new LinkedHashMap<>();
            latencyMs.put("p50", histogram.getValueAtPercentile(50) / 1_000.0);
            latencyMs.put("p90", histogram.getValueAtPercentile(90) / 1_000.0);
            latencyMs.put("p99", histogram.getValueAtPercentile(99) / 1_000.0);
            latencyMs.put("max", histogram.getMaxValue() / 1_000.0);
            double perTx = Math.max(1, valid);
            double verifications = (after.verifications() - before.verifications()) / perTx;
            double signatures = (after.signatures() - before.signatures()) / perTx;
            int cores = Runtime.getRuntime().availableProcessors();
            double cpuPerTxSeconds = verifications * costs[0] + signatures * costs[1];
            double bound = cpuPerTxSeconds > 0 ? cores / cpuPerTxSeconds : 0;
            double throughput = valid / windowSeconds;
            return new Result(options.workload().name().toLowerCase(java.util.Locale.ROOT), network.orgs().size(),
                    !options.deploy() ? "as deployed before (--no-deploy)" : options.policy() == null
                            ? "/Channel/Application/Endorsement (MAJORITY)" : options.policy(),
                    inflight, options.rate(), valid, invalid, endorseFailures.get(), throughput, latencyMs,
                    all == 0 ? 0 : (double) invalid.getOrDefault("MVCC_READ_CONFLICT", 0L) / all,
                    (after.nodeCpuSeconds() - before.nodeCpuSeconds()) / perTx,
                    (after.clientCpuSeconds() - before.clientCpuSeconds()) / perTx, verifications, signatures,
                    verifications + signatures, costs[0] * 1e6, costs[1] * 1e6, bound,
                    bound > 0 ? throughput / bound : 0, windowSeconds,
                    new Machine(OrderingBench.cpuModel(), cores, System.getProperty("java.vm.vendor") + " "
                            + System.getProperty("java.version"), OrderingBench.loadAverage()),
                    Instant.now().toString());
        }
    }

    /** What the nodes and this process had done at one instant: CPU seconds and signature operations. */
    record Snapshot(double nodeCpuSeconds, double clientCpuSeconds, long verifications, long signatures) {
        static Snapshot take(NetworkDescription network) {
            double cpu = 0;
            long verifications = 0;
            long signatures = 0;
            for (NetworkDescription.Node node : network.nodes()) {
                cpu += ProcessCpu.seconds(node.pid());
                Map<String, Double> ops = signatureOperations(node.metrics());
                verifications += ops.getOrDefault("verify", 0.0).longValue();
                signatures += ops.getOrDefault("sign", 0.0).longValue();
            }
            return new Snapshot(cpu, ProcessCpu.seconds(ProcessHandle.current().pid()), verifications, signatures);
        }

        private static Map<String, Double> signatureOperations(String metricsUrl) {
            Map<String, Double> ops = new LinkedHashMap<>();
            try {
                String text = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(10))
                        .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
                for (String line : text.split("\n")) {
                    if (line.startsWith("banyan_signature_operations{op=\"")) {
                        String op = line.substring(line.indexOf('"') + 1, line.indexOf('"', line.indexOf('"') + 1));
                        ops.put(op, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + metricsUrl + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ops;
        }
    }

    /** Keys drawn from a Zipf distribution over {@code [0, n)} (rank 0 the hottest), by inverse transform. */
    static final class ZipfKeys {
        private final double[] cumulative;
        private final Random random;

        ZipfKeys(int n, double exponent, Random random) {
            this.random = random;
            cumulative = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += 1 / Math.pow(i + 1, exponent);
                cumulative[i] = sum;
            }
            for (int i = 0; i < n; i++) {
                cumulative[i] /= sum;
            }
        }

        int next() {
            int index = java.util.Arrays.binarySearch(cumulative, random.nextDouble());
            return Math.min(cumulative.length - 1, index >= 0 ? index : -index - 1);
        }
    }

    private static void print(List<Result> results) {
        System.out.println();
        System.out.println("| workload | orgs | in flight | rate | committed/s | invalid | p50 ms | p90 ms | p99 ms | max ms"
                + " | node CPU ms/tx | verify/tx | sign/tx | crypto bound tx/s | ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            System.out.printf("| %s | %d | %d | %s | %,.0f | %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.1f | %.1f | %,.0f | %.2f |%n",
                    r.workload(), r.orgs(), r.inflight(), r.offeredRate() > 0 ? String.format("%.0f", r.offeredRate())
                            : "closed", r.throughputTps(), r.invalidByCode().isEmpty() ? "-" : r.invalidByCode(),
                    r.latencyMs().get("p50"), r.latencyMs().get("p90"), r.latencyMs().get("p99"),
                    r.latencyMs().get("max"), r.cpuSecondsPerTx() * 1e3, r.verificationsPerTx(), r.signaturesPerTx(),
                    r.cryptoBoundTps(), r.ratioToBound());
        }
        Result first = results.getFirst();
        System.out.printf("%npolicy %s; ECDSA P-256 per core: verify %.1f us, sign %.1f us; %d cores; %s%n",
                first.policy(), first.verifyMicrosPerCore(), first.signMicrosPerCore(), first.machine().cores(),
                first.machine().cpu());
    }

    private static long seconds(double value) {
        return (long) (value * 1e9);
    }

    private static void sleepUntil(long deadlineNanos) {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private EndToEndBench() {}
}
