package org.banyan.node;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.banyan.consensus.ConsensusConfig;
import org.banyan.consensus.Payload;
import org.banyan.consensus.codec.CorruptStateException;
import org.banyan.crypto.sign.SignatureVerifier;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.crypto.x509.Pem;
import org.banyan.ledger.ChannelLedger;
import org.banyan.crypto.msp.MspFolder;
import org.banyan.ledger.CommittedState;
import org.banyan.ledger.LedgerOptions;
import org.banyan.ledger.Ledgers;
import org.banyan.ledger.lifecycle.LifecycleChaincode;
import org.banyan.ledger.lifecycle.LifecycleChannel;
import org.banyan.ledger.lifecycle.LifecycleDefinitions;
import org.banyan.ledger.lifecycle.LifecycleException;
import org.banyan.ledger.lifecycle.PackageStore;
import org.banyan.ledger.simulation.TxSimulator;
import org.banyan.ledger.validation.BlockValidator;
import org.banyan.ledger.validation.CommittedLedger;
import org.banyan.node.chaincode.ChaincodeExecutionException;
import org.banyan.node.chaincode.ChaincodeLimits;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.chaincode.ChaincodeRuntime;
import org.banyan.node.chaincode.ChaincodeServer;
import org.banyan.node.chaincode.TransactionContext;
import org.banyan.node.chaincode.inprocess.InProcessChaincodes;
import org.banyan.node.chaincode.launch.ChaincodeLauncher;
import org.banyan.node.chaincode.launch.ChaincodeStatus;
import org.banyan.node.chaincode.launch.LaunchSettings;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.consensus.ChannelConsensus;
import org.banyan.node.consensus.ChannelFrameRouter;
import org.banyan.node.consensus.MspSignatureVerifier;
import org.banyan.node.consensus.MspVoteSigner;
import org.banyan.node.consensus.PeerLinksTransport;
import org.banyan.node.deliver.DeliverService;
import org.banyan.node.deliver.DeliverStreams;
import org.banyan.node.endorser.Endorser;
import org.banyan.node.endorser.EndorserService;
import org.banyan.node.endorser.RefusedProposalException;
import org.banyan.node.gateway.Gateway;
import org.banyan.node.gateway.GatewayChannel;
import org.banyan.node.gateway.GatewayService;
import org.banyan.node.gateway.OrgEndorser;
import org.banyan.node.gateway.RemoteEndorsers;
import org.banyan.node.gateway.RequestLimiter;
import org.banyan.ledger.LedgerTransaction;
import org.banyan.ledger.validation.EndorsementRequirement;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.banyan.node.metrics.NodeMetrics;
import org.banyan.node.orderer.BroadcastService;
import org.banyan.node.rest.RestServer;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.protocol.policy.PolicyEvaluator;
import org.banyan.node.ordering.EnvelopeCheck;
import org.banyan.node.ordering.EnvelopeValidator;
import org.banyan.node.ordering.EnvelopeVerdict;
import org.banyan.node.ordering.ValidatorLimits;
import org.banyan.node.transport.BlockTransfer;
import org.banyan.node.transport.ConsenterDirectory;
import org.banyan.node.transport.ConsenterServer;
import org.banyan.node.transport.NodeTlsIdentity;
import org.banyan.node.transport.PeerLinks;
import org.banyan.node.transport.TlsContexts;
import org.banyan.node.transport.TransportLimits;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.config.ChannelConfig;
import org.banyan.protocol.config.ChannelConfigs;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Consenter;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;

/**
 * One Banyan node: for each channel it hosts, a ledger and a consenter of the channel's BFT ordering; the consenter
 * transport (mutual TLS, consenters only) with block transfer; Fabric's AtomicBroadcast for clients; and an
 * operations endpoint. {@link #start} brings it up; {@link #close} stops every thread and closes the ledgers.
 */
public final class Node implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Node.class.getName());
    /** How long one block-transfer request may take. */
    static final long FETCH_DEADLINE_MILLIS = 10_000;
    /**
     * Bytes of one gRPC message a client may send (Fabric's default {@code maxRecvMsgSize}): Broadcast envelopes
     * and chaincode packages for install; the gateway applies its own, usually smaller, {@code requestBytesMax}.
     */
    static final int TRANSPORT_MESSAGE_BYTES_MAX = 100 * 1024 * 1024;
    /** Deliver streams open at once at most (each holds a thread while it waits for blocks). */
    static final int DELIVER_STREAMS_MAX = 256;

    private final NodeConfig config;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, ChannelConsensus> channels = new LinkedHashMap<>();
    private final Map<String, EnvelopeValidator> validators = new LinkedHashMap<>();
    private final Map<String, PolicyEvaluator> policyEvaluators = new LinkedHashMap<>();
    private final Map<String, MspRegistry> registries = new LinkedHashMap<>();
    private final Map<String, LifecycleChannel> lifecycleChannels = new LinkedHashMap<>();
    private final Map<String, LifecycleDefinitions> definitions = new LinkedHashMap<>();
    private final Map<String, HostedChannel> hostedChannels = new java.util.concurrent.ConcurrentHashMap<>();
    /** Fabric's gateway over this node's channels; set once the client-facing services start. */
    private volatile Gateway gateway;
    private BroadcastService broadcast;
    /** The REST API, when configured ({@code rest.address}). */
    private RestServer rest;
    /** Verifies envelopes carried in consensus messages, in parallel, before they reach a channel's event loop. */
    private final ExecutorService verifierThreads = Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), r -> {
                Thread thread = new Thread(r, "banyan-verify");
                thread.setDaemon(true);
                return thread;
            });
    private ConsenterServer consenterServer;
    private ChaincodeRuntime chaincodes;
    private ChaincodeLauncher launcher;
    private LifecycleChaincode lifecycle;
    /** This node's organisation's MSP (Fabric's local MSP), read from {@code peerMspDir}. */
    private FabricMSPConfig localMsp;
    /** Prebuilt Java packages loaded into this JVM ({@code chaincode.javaInProcess}, {@code allowInProcess}); null when neither. */
    private InProcessChaincodes inProcess;
    private Server broadcastServer;
    private OpsServer opsServer;
    /**
     * This node's metrics, served at {@code /metrics}; handed to the components below where they are built
     * (commit listeners, endorser, chaincode executor, Broadcast). See {@code docs/node.md}, "Metrics".
     */
    private final NodeMetrics metrics = new NodeMetrics();

    private Node(NodeConfig config) {
        this.config = config;
        resources.add(verifierThreads::shutdownNow);
    }

    /**
     * Opens (or creates from genesis) each channel's ledger, starts the servers, catches up from peers and starts
     * consensus.
     *
     * @throws IllegalArgumentException for a configuration that cannot work (this node is no consenter of a
     *     channel, a ledger of another genesis)
     * @throws CorruptStateException when a channel's safety state cannot be trusted
     */
    public static Node start(NodeConfig config) throws CorruptStateException {
        Node node = new Node(config);
        try {
            node.startAll();
            return node;
        } catch (RuntimeException | CorruptStateException | Error e) {
            node.close();
            throw e;
        }
    }

    private void startAll() throws CorruptStateException {
        List<ChannelConfig> channelConfigs = new ArrayList<>();
        List<Block> genesisBlocks = new ArrayList<>();
        for (Path file : config.genesisBlocks()) {
            Block genesis = readBlock(file);
            genesisBlocks.add(genesis);
            try {
                channelConfigs.add(ChannelConfigs.fromBlock(genesis));
            } catch (MalformedTransactionException e) {
                throw new IllegalArgumentException(file + ": not a channel genesis block: " + e.getMessage(), e);
            }
        }
        NodeTlsIdentity tls = NodeTlsIdentity.load(config.tlsDir());
        LocalSigningIdentity signing = LocalSigningIdentity.load(config.signingMspDir(), config.mspId());
        ConsenterDirectory directory = ConsenterDirectory.of(channelConfigs);
        TransportLimits limits = TransportLimits.DEFAULTS;

        Ledgers ledgers = new Ledgers(config.ledgerDir(), LedgerOptions.defaults());
        resources.add(ledgers);
        ChannelFrameRouter router = new ChannelFrameRouter();
        PeerLinks links = new PeerLinks(tls, directory, limits);
        resources.add(links);
        BlockTransfer.Fetcher fetcher = new BlockTransfer.Fetcher(tls, directory, limits);
        resources.add(fetcher);

        InetSocketAddress consenterAddress = null;
        for (int c = 0; c < channelConfigs.size(); c++) {
            ChannelConfig channel = channelConfigs.get(c);
            int self = consenterIndex(channel, tls);
            Consenter me = channel.consenters().get(self);
            InetSocketAddress address = new InetSocketAddress(me.getHost(), me.getPort());
            if (consenterAddress != null && !consenterAddress.equals(address)) {
                throw new IllegalArgumentException("this node is consenter " + address + " in channel "
                        + channel.channelId() + " but " + consenterAddress + " in another; one address per node");
            }
            consenterAddress = address;
            PeerLinksTransport transport = new PeerLinksTransport(links, channel.channelId(), channel.consenters());
            ChannelConsensus ordering = channelConsensus(channel, self,
                    openLedger(ledgers, genesisBlocks.get(c), channel.channelId()), signing, transport, fetcher);
            channels.put(channel.channelId(), ordering);
            metrics.watch(channel.channelId(), ordering.ledger()::height, ordering::status);
            resources.add(ordering);
            router.register(channel.channelId(), ordering, transport);
        }
        try {
            Files.createDirectories(config.consensusDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + config.consensusDir(), e);
        }
        consenterServer = new ConsenterServer(consenterAddress, tls, directory, limits, router,
                List.of(BlockTransfer.service(new BlockTransfer.BlockSource() {
                    @Override
                    public boolean mayRead(java.security.cert.X509Certificate peer, String channelId) {
                        return directory.consenterId(peer, channelId).isPresent();
                    }

                    @Override
                    public Iterator<byte[]> blocksFrom(String channelId, long from) {
                        return Node.this.blocksFrom(channelId, from);
                    }
                })));
        resources.add(consenterServer);
        consenterServer.start();
        links.start();
        for (ChannelConsensus ordering : channels.values()) {
            ordering.start();
        }
        startChaincodeRuntime();
        startBroadcast(tls, directory);
        if (config.rest().enabled()) {
            // The REST API (docs/rest.md): the same gateway over HTTP, for applications without a Fabric SDK.
            rest = new RestServer(config.rest(), gateway, RestServer.Options.DEFAULTS);
            resources.add(rest);
            rest.start();
        }
        opsServer = new OpsServer(config.opsAddress(), metrics.registry(), new OpsServer.Source() {
            @Override
            public String unhealthyReason() {
                return Node.this.unhealthyReason();
            }

            @Override
            public Object status() {
                return Node.this.status();
            }

            @Override
            public Object transaction(String channelId, String txId) {
                ChannelConsensus ordering = channels.get(channelId);
                return ordering == null ? null : ordering.ledger().transaction(txId).map(tx -> Map.of("block", tx.blockNumber(),
                        "index", tx.txIndex(), "code", tx.validationCode().name())).orElse(null);
            }
        });
        resources.add(opsServer);
        opsServer.start();
        LOG.log(System.Logger.Level.INFO, "{0}: consenter {1}, broadcast {2}, ops {3}, channels {4}", config.name(),
                consenterAddress, broadcastPort(), opsServer.port(), channels.keySet());
    }

    /** One channel's ordering: its envelope validator, consensus parameters, and peers for state transfer. */
    private ChannelConsensus channelConsensus(ChannelConfig channel, int self, ChannelLedger ledger,
            LocalSigningIdentity signing, PeerLinksTransport transport, BlockTransfer.Fetcher fetcher) {
        // One registry per channel: admission, Deliver's access checks and commit-time validation share its
        // caches, so a client signature checked at admission is not verified again when its block commits.
        MspRegistry registry = MspRegistry.of(channel.msps().values());
        PolicyEvaluator policies = PolicyEvaluator.of(channel, registry);
        EnvelopeValidator validator = new EnvelopeValidator(channel, registry, policies,
                ValidatorLimits.defaults(channel), Instant::now, ledger::containsTransaction);
        validators.put(channel.channelId(), validator);
        policyEvaluators.put(channel.channelId(), policies);
        registries.put(channel.channelId(), registry);
        LifecycleChannel lifecycle = new LifecycleChannel(channel, registry, policies);
        lifecycleChannels.put(channel.channelId(), lifecycle);
        // Block n is validated with the definitions _lifecycle committed through block n-1.
        LifecycleDefinitions definitions = new LifecycleDefinitions(lifecycle, CommittedLedger.of(ledger));
        this.definitions.put(channel.channelId(), definitions);
        BlockValidator blockValidator = new BlockValidator(channel, registry, policies, definitions, verifierThreads);
        return new ChannelConsensus(new ChannelConsensus.Parts(config.name(), channel, ledger, self,
                consensusConfig(channel, config.consensus()), new MspVoteSigner(signing),
                MspSignatureVerifier.of(channel.consenters(), SignatureVerifier.withDefaults()), validator,
                payloads -> validator.prevalidateAsync(payloads, verifierThreads), blockValidator,
                metrics.commitListener(channel.channelId(),
                        block -> blockCommitted(channel.channelId(), definitions, block)), transport,
                (replica, from, max) -> fetcher.fetch(channel.channelId(), channel.consenters().get(replica).getId(),
                        from, max, FETCH_DEADLINE_MILLIS),
                config.consensusDir().resolve(channel.channelId() + ".safety"), () -> System.nanoTime() / 1_000_000,
                config.consensus().lagBlocksMin()));
    }

    /** After a block's commit: the definitions cache learns what changed, CommitStatus waiters learn their codes. */
    private void blockCommitted(String channelId, LifecycleDefinitions channelDefinitions, Block block) {
        channelDefinitions.blockCommitted(block);
        Gateway current = gateway;
        if (current != null) {
            current.blockCommitted(channelId, block);
        }
    }

    private void startBroadcast(NodeTlsIdentity tls, ConsenterDirectory directory) {
        DeliverStreams deliverStreams = new DeliverStreams(channelId -> Optional.ofNullable(channels.get(channelId))
                .map(this::deliverChannel), DELIVER_STREAMS_MAX, config.gateway().streamIdleTimeoutMillis());
        resources.add(deliverStreams);
        broadcast = new BroadcastService(channelId -> Optional.ofNullable(channels.get(channelId))
                .map(this::broadcastChannel), deliverStreams, metrics::broadcastAnswered);
        Endorser endorser = endorser();
        RemoteEndorsers remote = new RemoteEndorsers(tls, config.gateway().requestBytesMax());
        resources.add(remote);
        NodeConfig.GatewaySettings limits = config.gateway();
        gateway = new Gateway(config.mspId(), Gateway.network(
                channelId -> Optional.ofNullable(channels.get(channelId)).map(this::gatewayChannel),
                (channelId, mspId) -> mspId.equals(config.mspId()) ? Optional.of(localEndorser(endorser))
                        : Optional.ofNullable(lifecycleChannels.get(channelId))
                                .flatMap(channel -> remote.endorser(channel.config(), mspId))),
                limits, Instant::now);
        resources.add(gateway);
        GatewayService gatewayService = new GatewayService(gateway, new RequestLimiter(limits.concurrentRequestsMax(),
                limits.requestsPerSecondPerClient(), System::nanoTime), DELIVER_STREAMS_MAX, metrics::gatewayAnswered);
        resources.add(gatewayService);
        ExecutorService clientCalls = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("banyan-client-call-", 0).factory());
        resources.add(clientCalls::shutdownNow);
        try {
            broadcastServer = NettyServerBuilder.forAddress(config.broadcastAddress())
                    .sslContext(TlsContexts.clientFacingServer(tls, () -> directory))
                    .maxInboundMessageSize(Math.max(TRANSPORT_MESSAGE_BYTES_MAX, limits.requestBytesMax()))
                    // Gateway and Endorser calls wait on other nodes and on chaincode: a virtual thread per call
                    // waits for free, where gRPC's default cached pool grows a platform thread per waiting call.
                    .executor(clientCalls)
                    .addService(broadcast)
                    .addService(new DeliverService(deliverStreams))
                    .addService(new EndorserService(endorser))
                    .addService(gatewayService)
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.broadcastAddress() + " for Broadcast", e);
        }
        resources.add(() -> {
            broadcastServer.shutdownNow();
            broadcastServer.awaitTermination(5, TimeUnit.SECONDS);
        });
    }

    /**
     * This node's {@code _lifecycle} (packages under {@code dataDir/packages}), its chaincode runtime and its
     * launcher: chaincode registers at {@code chaincodeAddress} with the package ID it runs as and runs over the
     * channels' ledgers; a chaincode another chaincode calls is resolved through {@code _lifecycle} as the
     * client's own call is. The launcher runs the packages the node can run (prebuilt Java as child processes,
     * {@code ccaas} by dialling), each as it is installed, and at start those this organisation approved for
     * committed definitions, so that their first transaction does not wait for a JVM to start.
     */
    private void startChaincodeRuntime() {
        AtomicReference<ChaincodeLauncher> launched = new AtomicReference<>();
        PackageStore packages = PackageStore.open(config.packagesDir(), installed ->
                Optional.ofNullable(launched.get()).ifPresent(l -> l.launch(installed.packageId())));
        localMsp = MspFolder.load(config.peerMspDir(), config.mspId());
        lifecycle = new LifecycleChaincode(localMsp, packages,
                () -> channels.values().stream().collect(java.util.stream.Collectors.toMap(
                        ChannelConsensus::channelId, ordering -> CommittedState.of(ordering.ledger()))));
        ChaincodeLimits limits = ChaincodeLimits.defaults().withExecuteTimeout(
                Duration.ofMillis(config.chaincode().executeTimeoutMillis()));
        Function<String, Optional<ChannelLedger>> ledgers = channelId -> Optional.ofNullable(channels.get(channelId))
                .map(ChannelConsensus::ledger);
        chaincodes = new ChaincodeRuntime(ledgers, limits, this::packageOf);
        resources.add(chaincodes);
        if (config.chaincode().javaInProcess() || config.chaincode().allowInProcess()) {
            inProcess = new InProcessChaincodes(ledgers, limits, InProcessChaincodes.Options.defaults()
                    .withResolver(this::packageOf).withLocalMspId(config.mspId())
                    .withLogLevels(config.chaincode().logLevels()));
            resources.add(inProcess);
        }
        ChaincodeServer server = new ChaincodeServer(config.chaincodeAddress(), chaincodes).start();
        resources.add(server);
        launcher = new ChaincodeLauncher(chaincodes, packages, LaunchSettings.of(config.chaincode(),
                config.chaincodesDir(), dialable(config.chaincodeAddress(), server.port()), config.mspId()));
        resources.add(launcher);
        if (inProcess != null) {
            launcher.inProcess(inProcess, config.chaincode().javaInProcess());
        }
        launcher.start();
        chaincodes.starter(launcher);
        launched.set(launcher);
        lifecycle.approvedPackages().forEach(launcher::launch);
    }

    /**
     * The package that runs {@code chaincodeName} on the channel for a transaction, as {@code _lifecycle} says
     * (committed, approved by this organisation, installed); its read of the definition joins the transaction.
     */
    private String packageOf(String channelId, String chaincodeName, TxSimulator simulator) {
        ChannelConsensus ordering = channels.get(channelId);
        try {
            return lifecycle.invocable(lifecycleChannels.get(channelId), chaincodeName, simulator,
                    CommittedState.of(ordering.ledger())).packageId();
        } catch (LifecycleException e) {
            throw new ChaincodeExecutionException(e.getMessage());
        }
    }

    /** Runs a resolved chaincode where it lives: loaded in-process, or a registered (launched, dialled) process. */
    private ChaincodeResult execute(String chaincodeName, String registeredId, ChaincodeInput input,
            TransactionContext context, TxSimulator simulator) {
        InProcessChaincodes loaded = inProcess;
        boolean inThisJvm = loaded != null && (loaded.isLoaded(registeredId)
                || launcher.awaitPrepared(registeredId, Long.MAX_VALUE) && loaded.isLoaded(registeredId));
        return inThisJvm
                ? loaded.execute(chaincodeName, registeredId, input, context, simulator)
                : chaincodes.execute(chaincodeName, registeredId, input, context, simulator);
    }

    /** Where a chaincode process on this machine reaches the chaincode server: loopback for a wildcard bind. */
    private static InetSocketAddress dialable(InetSocketAddress bound, int port) {
        String host = bound.getAddress() != null && bound.getAddress().isAnyLocalAddress() ? "127.0.0.1"
                : bound.getHostString();
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** Fabric's endorser over this node's channels, {@code _lifecycle} and chaincode runtime, signing as its peer. */
    private Endorser endorser() {
        LocalSigningIdentity peer = LocalSigningIdentity.load(config.peerMspDir(), config.mspId());
        return new Endorser(channelId -> Optional.ofNullable(channels.get(channelId)).map(this::endorsingChannel),
                lifecycle, localMsp, metrics.countingCalls(this::execute), peer,
                Instant::now, metrics::endorsed);
    }

    private Endorser.Channel endorsingChannel(ChannelConsensus ordering) {
        String channelId = ordering.channelId();
        return new Endorser.Channel(registries.get(channelId), policyEvaluators.get(channelId),
                ordering.ledger()::containsTransaction, () -> CommittedState.of(ordering.ledger()),
                lifecycleChannels.get(channelId));
    }

    /** This organisation's endorser as the gateway calls it: in this process, no network hop. */
    private OrgEndorser localEndorser(Endorser endorser) {
        return new OrgEndorser() {
            @Override
            public String mspId() {
                return config.mspId();
            }

            @Override
            public String address() {
                return "local";
            }

            @Override
            public ProposalResponse process(SignedProposal proposal, long timeoutMillis) throws Failure {
                try {
                    return endorser.process(proposal);
                } catch (RefusedProposalException e) {
                    throw new Failure(e.getMessage(), true);
                }
            }
        };
    }

    private GatewayChannel gatewayChannel(ChannelConsensus ordering) {
        return hostedChannel(ordering);
    }

    /** One view per channel, made on first use (client requests come from many threads). */
    private HostedChannel hostedChannel(ChannelConsensus ordering) {
        return hostedChannels.computeIfAbsent(ordering.channelId(), channelId -> {
            MspRegistry registry = registries.get(channelId);
            PolicyEvaluator policies = policyEvaluators.get(channelId);
            return new HostedChannel(ordering, registry, policies,
                    new EndorsementRequirement(registry, policies, definitions.get(channelId)));
        });
    }

    /**
     * A hosted channel as the client-facing services see it: Deliver reads its blocks, the gateway also its
     * organisations, policies, committed state and transaction index, and submits through Broadcast's checks.
     */
    private final class HostedChannel implements GatewayChannel, DeliverStreams.Channel {
        private final ChannelConsensus ordering;
        private final MspRegistry registry;
        private final PolicyEvaluator policies;
        private final EndorsementRequirement requirement;

        HostedChannel(ChannelConsensus ordering, MspRegistry registry, PolicyEvaluator policies,
                EndorsementRequirement requirement) {
            this.ordering = ordering;
            this.registry = registry;
            this.policies = policies;
            this.requirement = requirement;
        }

        @Override
        public String channelId() {
            return ordering.channelId();
        }

        @Override
        public java.util.SortedSet<String> orgs() {
            return lifecycleChannels.get(ordering.channelId()).orgs();
        }

        @Override
        public MspRegistry registry() {
            return registry;
        }

        @Override
        public PolicyEvaluator policies() {
            return policies;
        }

        @Override
        public EndorsementRequirement requirement() {
            return requirement;
        }

        @Override
        public CommittedLedger committed() {
            return CommittedLedger.of(ordering.ledger());
        }

        @Override
        public Optional<LedgerTransaction> transaction(String txId) {
            return ordering.ledger().transaction(txId);
        }

        @Override
        public long height() {
            return ordering.ledger().height();
        }

        @Override
        public Block block(long number) {
            return ordering.ledger().block(number).orElseThrow();
        }

        @Override
        public void awaitHeightAbove(long number, long timeoutMillis) throws InterruptedException {
            ordering.awaitHeightAbove(number, timeoutMillis);
        }

        @Override
        public Optional<Refusal> submit(Envelope transaction) {
            BroadcastResponse response = broadcast.handle(transaction);
            return response.getStatus() == org.hyperledger.fabric.protos.common.Status.SUCCESS ? Optional.empty()
                    : Optional.of(new Refusal(response.getStatus(), response.getInfo()));
        }
    }

    private BroadcastService.Channel broadcastChannel(ChannelConsensus ordering) {
        EnvelopeValidator validator = validators.get(ordering.channelId());
        return new BroadcastService.Channel() {
            @Override
            public Optional<BroadcastService.Refusal> admit(Payload payload) {
                EnvelopeCheck check = validator.check(payload);
                return check.verdict() == EnvelopeVerdict.VALID ? Optional.empty()
                        : Optional.of(new BroadcastService.Refusal(broadcastStatus(check.verdict()),
                                check.verdict() + ": " + check.detail()));
            }

            @Override
            public boolean submit(Payload payload) {
                return ordering.submit(payload);
            }
        };
    }

    private DeliverStreams.Channel deliverChannel(ChannelConsensus ordering) {
        return hostedChannel(ordering);
    }

    /** Fabric's Broadcast status for a refused envelope. */
    static org.hyperledger.fabric.protos.common.Status broadcastStatus(EnvelopeVerdict verdict) {
        return switch (verdict) {
            case VALID -> org.hyperledger.fabric.protos.common.Status.SUCCESS;
            case TOO_LARGE -> org.hyperledger.fabric.protos.common.Status.REQUEST_ENTITY_TOO_LARGE;
            case CREATOR_INVALID, CREATOR_NOT_WRITER, BAD_SIGNATURE -> org.hyperledger.fabric.protos.common.Status.FORBIDDEN;
            case MALFORMED, UNSUPPORTED_TYPE, WRONG_CHANNEL, TX_ID_MISMATCH, ALREADY_ORDERED ->
                    org.hyperledger.fabric.protos.common.Status.BAD_REQUEST;
        };
    }

    private Iterator<byte[]> blocksFrom(String channelId, long from) {
        ChannelConsensus ordering = channels.get(channelId);
        if (ordering == null) {
            return java.util.Collections.emptyIterator();
        }
        Iterator<Block> blocks = ordering.ledger().blocksFrom(from);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return blocks.hasNext();
            }

            @Override
            public byte[] next() {
                return blocks.next().toByteArray();
            }
        };
    }

    private ChannelLedger openLedger(Ledgers ledgers, Block genesis, String channelId) {
        ChannelLedger ledger = ledgers.channels().contains(channelId) ? ledgers.open(channelId)
                : ledgers.create(genesis);
        byte[] stored = BlockHashing.headerHash(ledger.block(0).orElseThrow().getHeader());
        if (!Arrays.equals(stored, BlockHashing.headerHash(genesis.getHeader()))) {
            throw new IllegalArgumentException("the ledger of channel " + channelId + " under " + config.ledgerDir()
                    + " starts from another genesis block than the configured one");
        }
        return ledger;
    }

    /** Consensus parameters of a channel: batch limits from its configuration, timing from the node's settings. */
    public static ConsensusConfig consensusConfig(ChannelConfig channel, NodeConfig.ConsensusSettings settings) {
        ConsensusConfig d = ConsensusConfig.defaults(channel.consenters().size());
        int payloadsMax = Math.max(1, channel.batch().maxMessageCount());
        return new ConsensusConfig(channel.consenters().size(), payloadsMax,
                Math.max(1, channel.batch().absoluteMaxBytes()), settings.roundTimeoutMillis(),
                settings.roundTimeoutMaxMillis(), settings.emptyProposals(),
                Math.max(d.pendingPayloadsMax(), payloadsMax), d.treeBlocksMax(), settings.retainedBlocksMax(),
                d.recentPayloadIdsMax(), d.syncBlocksMax(), d.roundsAheadMax());
    }

    /** This node's consenter index in the channel: the consenter whose TLS certificate is this node's. */
    private static int consenterIndex(ChannelConfig channel, NodeTlsIdentity tls) {
        byte[] mine;
        try {
            mine = tls.certificate().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode the node's TLS certificate", e);
        }
        for (int i = 0; i < channel.consenters().size(); i++) {
            if (sameDer(channel.consenters().get(i).getServerTlsCert(), mine)) {
                return i;
            }
        }
        throw new IllegalArgumentException("this node's TLS certificate (" + tls.certificate().getSubjectX500Principal()
                + ") is no consenter of channel " + channel.channelId());
    }

    private static boolean sameDer(ByteString pem, byte[] der) {
        try {
            return Arrays.equals(Pem.decodeCertificate(pem.toByteArray()).getEncoded(), der);
        } catch (RuntimeException | CertificateEncodingException e) {
            return false;
        }
    }

    private static Block readBlock(Path file) {
        try {
            return Block.parseFrom(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read genesis block " + file + ": " + e.getMessage(), e);
        }
    }

    /** Null while every channel's consensus runs. */
    public String unhealthyReason() {
        for (ChannelConsensus ordering : channels.values()) {
            ChannelConsensus.Status status = ordering.status();
            if (!status.running()) {
                return "channel " + status.channelId() + ": consensus not running"
                        + (status.failure() == null ? "" : ": " + status.failure());
            }
        }
        return null;
    }

    /** A snapshot of every channel, for {@code /status}. */
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("node", config.name());
        status.put("mspId", config.mspId());
        Map<String, Object> byChannel = new LinkedHashMap<>();
        for (ChannelConsensus ordering : channels.values()) {
            byChannel.put(ordering.channelId(), ordering.status());
        }
        status.put("channels", byChannel);
        status.put("chaincodes", chaincodeStatus());
        return status;
    }

    /** What the node does about each package it was asked to run (launched, dialled, left to its operator). */
    public List<ChaincodeStatus> chaincodeStatus() {
        return launcher == null ? List.of() : launcher.status();
    }

    public Optional<ChannelConsensus> channel(String channelId) {
        return Optional.ofNullable(channels.get(channelId));
    }

    public int broadcastPort() {
        return broadcastServer.getListenSockets().isEmpty() ? -1
                : ((InetSocketAddress) broadcastServer.getListenSockets().get(0)).getPort();
    }

    public int opsPort() {
        return opsServer.port();
    }

    /** The REST API's port, or -1 when the node serves none. */
    public int restPort() {
        return rest == null ? -1 : rest.port();
    }

    public int consenterPort() {
        return consenterServer.port();
    }

    /** Stops servers, consensus and links, then closes the ledgers; in reverse order of start. */
    @Override
    public void close() {
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        java.util.Collections.reverse(reversed);
        for (AutoCloseable resource : reversed) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, config.name() + ": error while closing", e);
            }
        }
        resources.clear();
    }
}
