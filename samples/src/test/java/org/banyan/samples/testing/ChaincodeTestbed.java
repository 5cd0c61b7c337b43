package org.banyan.samples.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.banyan.crypto.SigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.lifecycle.PackageStore;
import org.banyan.node.chaincode.ChaincodeLimits;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.chaincode.ChaincodeRuntime;
import org.banyan.node.chaincode.ChaincodeServer;
import org.banyan.node.chaincode.TransactionContext;
import org.banyan.node.chaincode.inprocess.InProcessChaincodes;
import org.banyan.node.chaincode.launch.ChaincodeLauncher;
import org.banyan.node.chaincode.launch.LaunchSettings;
import org.banyan.node.config.NodeConfig;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.EndorserTransactions;
import org.banyan.protocol.Proposals;
import org.banyan.protocol.TxIds;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * One Banyan node's chaincode side for end-to-end tests, wired as {@code Node} wires it: a real
 * {@link ChannelLedger} (RocksDB) in a directory, a {@link ChaincodeRuntime} and a {@link ChaincodeServer} on
 * 127.0.0.1, a {@link PackageStore} and the {@link ChaincodeLauncher} that runs what is installed (launched Java
 * packages, dialled {@code ccaas} servers). A test brings chaincode up in any of the ways a node meets it: it
 * installs a package the node runs ({@link #install}), or starts a child JVM itself that registers
 * ({@link #startRegistering}) or serves ({@link #startServing}), through Fabric's unmodified shim
 * ({@code CORE_PEER_TLS_ENABLED=false}). {@link #route} says which registered ID runs a chaincode, as lifecycle
 * does in a node; an unrouted chaincode runs the process registered under its name.
 *
 * <p>Clients' proposals are signed as a Fabric SDK signs them; {@link #submit} commits a successful execution
 * as the next block, so later transactions read committed state. {@link #close()} stops every child
 * ({@link ChildJvms}: its output is in {@code <name>.log} in the directory) and closes everything.
 */
public final class ChaincodeTestbed implements AutoCloseable {
    public static final String CHANNEL = TestChains.CHANNEL;
    public static final SigningIdentity CLIENT = TestChains.identity("Org1MSP", "client", "User1@org1.example.com");
    private static final Duration REGISTER_WAIT = Duration.ofSeconds(60);

    private final AtomicLong nonces = new AtomicLong();
    /** Proposal timestamps start here (plus one second per proposal), unless {@link #clockAt} moves them. */
    private volatile long clockSeconds = 1_700_000_000L;
    private final Map<String, String> routes = new ConcurrentHashMap<>();
    private final ChildJvms children;
    private ChannelLedger ledger;
    private ChaincodeRuntime runtime;
    private ChaincodeServer server;
    private PackageStore packages;
    private ChaincodeLauncher launcher;
    /** Java packages loaded in-process, when the settings say {@code javaInProcess}; else null. */
    private InProcessChaincodes inProcess;

    private ChaincodeTestbed(Path dir) {
        this.children = new ChildJvms(dir);
    }

    /** The node side, with the node's default chaincode settings, and no chaincode yet. */
    public static ChaincodeTestbed open(Path dir, ChaincodeLimits limits) {
        return open(dir, limits, NodeConfig.ChaincodeSettings.DEFAULTS);
    }

    /** The node side, running packages with {@code settings} (a node's {@code chaincode:} configuration). */
    public static ChaincodeTestbed open(Path dir, ChaincodeLimits limits, NodeConfig.ChaincodeSettings settings) {
        ChaincodeTestbed testbed = new ChaincodeTestbed(dir);
        try {
            testbed.ledger = ChannelLedger.create(dir.resolve("ledger"), new TestChains(1, 16, 10).genesis());
            ChannelLedger ledger = testbed.ledger;
            testbed.runtime = new ChaincodeRuntime(ch -> ch.equals(CHANNEL) ? Optional.of(ledger) : Optional.empty(),
                    limits, (channel, name, simulator) -> testbed.routes.getOrDefault(name, name));
            testbed.server = new ChaincodeServer(new InetSocketAddress("127.0.0.1", 0), testbed.runtime).start();
            AtomicReference<ChaincodeLauncher> launched = new AtomicReference<>();
            testbed.packages = PackageStore.open(dir.resolve("packages"),
                    installed -> launched.get().launch(installed.packageId()));
            testbed.launcher = new ChaincodeLauncher(testbed.runtime, testbed.packages, LaunchSettings.of(
                    settings, dir.resolve("chaincodes"),
                    InetSocketAddress.createUnresolved("127.0.0.1", testbed.server.port()), "Org1MSP"));
            if (settings.javaInProcess() || settings.allowInProcess()) {
                testbed.inProcess = new InProcessChaincodes(testbed::ledger, limits, InProcessChaincodes.Options
                        .defaults().withResolver((channel, name, simulator) -> testbed.routes.getOrDefault(name, name)));
                testbed.launcher.inProcess(testbed.inProcess, settings.javaInProcess());
            }
            testbed.launcher.start();
            launched.set(testbed.launcher);
            testbed.runtime.starter(testbed.launcher);
            return testbed;
        } catch (RuntimeException | Error e) {
            testbed.close();
            throw e;
        }
    }

    /**
     * Starts the node side, then {@code mainClass} in a child JVM on the test class path registering as
     * {@code chaincodeIdName}, and waits until every name in {@code chaincodes} is registered.
     *
     * @param args the child's command line
     */
    public static ChaincodeTestbed start(Path dir, ChaincodeLimits limits, Class<?> mainClass, String chaincodeIdName,
                                         List<String> args, List<String> chaincodes) {
        ChaincodeTestbed testbed = open(dir, limits);
        try {
            testbed.startRegistering("chaincode", mainClass, System.getProperty("java.class.path"), chaincodeIdName,
                    args);
            chaincodes.forEach(testbed::awaitRegistered);
            return testbed;
        } catch (RuntimeException | Error e) {
            testbed.close();
            throw e;
        }
    }

    /** Installs a package on this node ({@code InstallChaincode}); the launcher runs it if it can. */
    public String install(byte[] chaincodePackage) {
        return packages.install(chaincodePackage).packageId();
    }

    /** Runs {@code chaincode} on the process registered with {@code registeredId}, as lifecycle would say. */
    public void route(String chaincode, String registeredId) {
        routes.put(chaincode, registeredId);
    }

    /**
     * A child JVM that registers with this node as a chaincode process does ({@code CORE_CHAINCODE_ID_NAME},
     * {@code CORE_PEER_ADDRESS}, {@code CORE_PEER_TLS_ENABLED=false}); its output goes to {@code <name>.log}.
     */
    public Process startRegistering(String name, Class<?> mainClass, String classpath, String chaincodeId,
            List<String> args) {
        return children.start(name, mainClass, classpath,
                ChildJvms.registering(chaincodeId, "127.0.0.1:" + server.port()), args);
    }

    /**
     * A child JVM serving as an external chaincode server at {@code address} ({@link ChildJvms#serving}); output
     * to {@code <name>.log}.
     */
    public Process startServing(String name, Class<?> mainClass, String classpath, String chaincodeId,
            String address) {
        return children.start(name, mainClass, classpath, ChildJvms.serving(chaincodeId, address), List.of());
    }

    /**
     * Waits until a chaincode process is registered with {@code id} (or as {@code id:version}).
     *
     * @throws AssertionError with the children's logs and the launcher's status when it does not within 60 s
     */
    public void awaitRegistered(String id) {
        try {
            if (runtime.awaitRegistered(id, REGISTER_WAIT)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("chaincode " + id + " did not register within " + REGISTER_WAIT + "; launcher: "
                + launcher.status() + children.logs());
    }

    /** A free port on 127.0.0.1, for a chaincode server. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** The in-process runner ({@code javaInProcess} settings), else empty. */
    public Optional<InProcessChaincodes> inProcess() {
        return Optional.ofNullable(inProcess);
    }

    public ChaincodeLauncher launcher() {
        return launcher;
    }

    /** The ledger of a channel: the testbed's channel only. */
    public Optional<ChannelLedger> ledger(String channelId) {
        return channelId.equals(CHANNEL) ? Optional.of(ledger) : Optional.empty();
    }

    public ChaincodeRuntime runtime() {
        return runtime;
    }

    public ChannelLedger ledger() {
        return ledger;
    }

    /** A client's signed proposal, as a Fabric SDK builds it, and what it was built from. */
    public record Proposed(TransactionContext context, Timestamp timestamp, byte[] nonce, String chaincode,
                           ChaincodeInput input, Map<String, ByteString> transientMap, SigningIdentity client) {
        public String txId() {
            return context.txId();
        }
    }

    /** What a submit produced, the block that committed it, and the proposal's timestamp. */
    public record Submitted(String txId, long block, ChaincodeResult result, Timestamp timestamp) {}

    /**
     * Moves the clients' clock: later proposals carry timestamps from {@code instant} on (a second apart), for
     * chaincode that reads the transaction's time.
     */
    public void clockAt(java.time.Instant instant) {
        clockSeconds = instant.getEpochSecond() - nonces.get();
    }

    /** Signs a proposal for {@code chaincode} with string arguments and a transient map, as {@link #CLIENT}. */
    public Proposed propose(String chaincode, Map<String, ByteString> transientMap, String... args) {
        return propose(CLIENT, chaincode, transientMap, args);
    }

    /** Signs a proposal for {@code chaincode} as {@code client}. */
    public Proposed propose(SigningIdentity client, String chaincode, Map<String, ByteString> transientMap,
                            String... args) {
        byte[] nonce = new byte[TxIds.NONCE_BYTES];
        long n = nonces.incrementAndGet();
        for (int i = 0; i < 8; i++) {
            nonce[i] = (byte) (n >>> (8 * i));
        }
        Timestamp timestamp = Timestamp.newBuilder().setSeconds(clockSeconds + n).setNanos((int) n).build();
        ChaincodeInput input = input(args);
        SignedProposal signed = Proposals.create(new Proposals.Invocation(CHANNEL, chaincode, input.getArgsList(),
                transientMap, timestamp, nonce), client);
        String txId = TxIds.compute(nonce, client.serialize());
        return new Proposed(TransactionContext.of(CHANNEL, txId, signed), timestamp, nonce, chaincode, input,
                Map.copyOf(transientMap), client);
    }

    /** Executes a proposal without committing it (Fabric's evaluate). */
    public ChaincodeResult execute(Proposed proposed) {
        return runtime.execute(proposed.chaincode(), proposed.input(), proposed.context());
    }

    /** Proposes and executes without committing. */
    public ChaincodeResult evaluate(String chaincode, String... args) {
        return evaluate(CLIENT, chaincode, args);
    }

    /** Proposes as {@code client} and executes without committing. */
    public ChaincodeResult evaluate(SigningIdentity client, String chaincode, String... args) {
        return execute(propose(client, chaincode, Map.of(), args));
    }

    /**
     * Executes and commits the transaction as the next block.
     *
     * @throws AssertionError when the chaincode did not answer status 200
     */
    public Submitted submit(String chaincode, String... args) {
        return submit(CLIENT, chaincode, args);
    }

    /** As {@link #submit(String, String...)}, proposed and signed by {@code client}. */
    public Submitted submit(SigningIdentity client, String chaincode, String... args) {
        Proposed proposed = propose(client, chaincode, Map.of(), args);
        return commit(proposed, execute(proposed));
    }

    /**
     * Commits what a proposal's execution produced (however it ran: a process, or in-process) as the next block.
     *
     * @throws AssertionError when the chaincode did not answer status 200
     */
    public Submitted commit(Proposed proposed, ChaincodeResult result) {
        String chaincode = proposed.chaincode();
        if (result.response().getStatus() != 200) {
            throw new AssertionError("submit " + proposed.input().getArgsList().stream()
                    .map(ByteString::toStringUtf8).toList() + " answered " + result.response());
        }
        var envelope = EndorserTransactions.build(new EndorserTransactions.Invocation(CHANNEL, chaincode,
                proposed.input().getArgsList(), result.readWriteSet(), proposed.timestamp(), proposed.nonce()),
                proposed.client(), List.of());
        Block previous = ledger.block(ledger.height() - 1).orElseThrow();
        Block block = Blocks.withValidationCodes(Blocks.next(previous, List.of(envelope.toByteString())),
                List.of(TxValidationCode.VALID));
        ledger.commit(block);
        return new Submitted(proposed.txId(), block.getHeader().getNumber(), result, proposed.timestamp());
    }

    public static ChaincodeInput input(String... args) {
        List<ByteString> bytes = new ArrayList<>();
        Arrays.stream(args).forEach(a -> bytes.add(ByteString.copyFromUtf8(a)));
        return ChaincodeInput.newBuilder().addAllArgs(bytes).build();
    }

    /** The namespace's part of a read/write set. */
    public static KVRWSet kv(TxReadWriteSet set, String namespace) throws InvalidProtocolBufferException {
        for (NsReadWriteSet ns : set.getNsRwsetList()) {
            if (ns.getNamespace().equals(namespace)) {
                return KVRWSet.parseFrom(ns.getRwset());
            }
        }
        throw new AssertionError("no namespace " + namespace + " in " + set);
    }

    /** A read of a committed key at (block, tx). */
    public static KVRead read(String key, long block, int tx) {
        return KVRead.newBuilder().setKey(key)
                .setVersion(Version.newBuilder().setBlockNum(block).setTxNum(tx)).build();
    }

    /** A read of a key that did not exist. */
    public static KVRead readAbsent(String key) {
        return KVRead.newBuilder().setKey(key).build();
    }

    @Override
    public void close() {
        children.close();
        if (launcher != null) {
            launcher.close();
        }
        if (inProcess != null) {
            inProcess.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (server != null) {
            server.close();
        }
        if (ledger != null) {
            ledger.close();
        }
    }
}
