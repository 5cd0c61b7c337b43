package org.banyan.samples.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.banyan.crypto.SigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.node.chaincode.ChaincodeLimits;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.chaincode.ChaincodeRuntime;
import org.banyan.node.chaincode.ChaincodeServer;
import org.banyan.node.chaincode.TransactionContext;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.EndorserTransactions;
import org.banyan.protocol.TxIds;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * One Banyan node's chaincode side for end-to-end tests: a real {@link ChannelLedger} (RocksDB) in a directory, a
 * {@link ChaincodeRuntime} and a {@link ChaincodeServer} on 127.0.0.1, and chaincode in a child JVM on the test
 * class path that registers with it through Fabric's unmodified shim ({@code CORE_PEER_TLS_ENABLED=false}).
 * Clients' proposals are signed as a Fabric SDK signs them; {@link #submit} commits a successful execution as
 * the next block, so later transactions read committed state. {@link #close()} destroys the child and closes
 * everything; its output goes to {@code chaincode.log} in the directory.
 */
public final class ChaincodeTestbed implements AutoCloseable {
    public static final String CHANNEL = TestChains.CHANNEL;
    public static final SigningIdentity CLIENT = TestChains.identity("Org1MSP", "client", "User1@org1.example.com");
    private static final Duration REGISTER_WAIT = Duration.ofSeconds(60);

    private final AtomicLong nonces = new AtomicLong();
    private final Path chaincodeLog;
    private ChannelLedger ledger;
    private ChaincodeRuntime runtime;
    private ChaincodeServer server;
    private Process chaincode;

    private ChaincodeTestbed(Path dir) {
        this.chaincodeLog = dir.resolve("chaincode.log");
    }

    /**
     * Starts the node side, then {@code mainClass} in a child JVM with {@code CORE_PEER_ADDRESS} pointing at it,
     * and waits until every name in {@code chaincodes} is registered.
     *
     * @param chaincodeIdName the child's {@code CORE_CHAINCODE_ID_NAME}
     * @param args the child's command line
     */
    public static ChaincodeTestbed start(Path dir, ChaincodeLimits limits, Class<?> mainClass, String chaincodeIdName,
                                         List<String> args, List<String> chaincodes) throws Exception {
        ChaincodeTestbed testbed = open(dir, limits);
        try {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("CORE_CHAINCODE_ID_NAME", chaincodeIdName);
            builder.environment().put("CORE_PEER_ADDRESS", "127.0.0.1:" + testbed.server.port());
            builder.environment().put("CORE_PEER_TLS_ENABLED", "false");
            builder.redirectErrorStream(true).redirectOutput(testbed.chaincodeLog.toFile());
            testbed.chaincode = builder.start();
            for (String name : chaincodes) {
                if (!testbed.runtime.awaitRegistered(name, REGISTER_WAIT)) {
                    throw new AssertionError("chaincode " + name + " did not register; its log:\n"
                            + Files.readString(testbed.chaincodeLog));
                }
            }
            return testbed;
        } catch (Exception | AssertionError e) {
            testbed.close();
            throw e;
        }
    }

    /**
     * The node side alone: the ledger, the runtime and its server, and no chaincode process — for chaincode run
     * another way (in-process), or started by the caller.
     */
    public static ChaincodeTestbed open(Path dir, ChaincodeLimits limits) throws Exception {
        ChaincodeTestbed testbed = new ChaincodeTestbed(dir);
        try {
            testbed.ledger = ChannelLedger.create(dir.resolve("ledger"), new TestChains(1, 16, 10).genesis());
            testbed.runtime = new ChaincodeRuntime(testbed::ledger, limits);
            testbed.server = new ChaincodeServer(new InetSocketAddress("127.0.0.1", 0), testbed.runtime).start();
            return testbed;
        } catch (Exception | AssertionError e) {
            testbed.close();
            throw e;
        }
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
                           ChaincodeInput input, Map<String, ByteString> transientMap) {
        public String txId() {
            return context.txId();
        }
    }

    /** What a submit produced, the block that committed it, and the proposal's timestamp. */
    public record Submitted(String txId, long block, ChaincodeResult result, Timestamp timestamp) {}

    /** Signs a proposal for {@code chaincode} with string arguments and a transient map. */
    public Proposed propose(String chaincode, Map<String, ByteString> transientMap, String... args) {
        byte[] nonce = new byte[TxIds.NONCE_BYTES];
        long n = nonces.incrementAndGet();
        for (int i = 0; i < 8; i++) {
            nonce[i] = (byte) (n >>> (8 * i));
        }
        byte[] creator = CLIENT.serialize();
        String txId = TxIds.compute(nonce, creator);
        Timestamp timestamp = Timestamp.newBuilder().setSeconds(1_700_000_000L + n).setNanos((int) n).build();
        ChaincodeID id = ChaincodeID.newBuilder().setName(chaincode).build();
        ChaincodeInput input = input(args);
        ChannelHeader channelHeader = ChannelHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(CHANNEL).setTxId(txId).setTimestamp(timestamp)
                .setExtension(ChaincodeHeaderExtension.newBuilder().setChaincodeId(id).build().toByteString())
                .build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder()
                .setCreator(ByteString.copyFrom(creator)).setNonce(ByteString.copyFrom(nonce)).build();
        ChaincodeProposalPayload payload = ChaincodeProposalPayload.newBuilder()
                .setInput(ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(ChaincodeSpec.newBuilder()
                        .setChaincodeId(id).setInput(input)).build().toByteString())
                .putAllTransientMap(transientMap)
                .build();
        Proposal proposal = Proposal.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()).build().toByteString())
                .setPayload(payload.toByteString())
                .build();
        byte[] proposalBytes = proposal.toByteArray();
        SignedProposal signed = SignedProposal.newBuilder().setProposalBytes(ByteString.copyFrom(proposalBytes))
                .setSignature(ByteString.copyFrom(CLIENT.sign(proposalBytes))).build();
        return new Proposed(TransactionContext.of(CHANNEL, txId, signed), timestamp, nonce, chaincode, input,
                Map.copyOf(transientMap));
    }

    /** Executes a proposal without committing it (Fabric's evaluate). */
    public ChaincodeResult execute(Proposed proposed) {
        return runtime.execute(proposed.chaincode(), proposed.input(), proposed.context());
    }

    /** Proposes and executes without committing. */
    public ChaincodeResult evaluate(String chaincode, String... args) {
        return execute(propose(chaincode, Map.of(), args));
    }

    /**
     * Executes and commits the transaction as the next block.
     *
     * @throws AssertionError when the chaincode did not answer status 200
     */
    public Submitted submit(String chaincode, String... args) {
        Proposed proposed = propose(chaincode, Map.of(), args);
        return commit(proposed, execute(proposed));
    }

    /**
     * Commits what a proposal's execution produced (however it ran) as the next block.
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
                CLIENT, List.of());
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
    public void close() throws IOException {
        if (chaincode != null) {
            chaincode.destroy();
            try {
                if (!chaincode.waitFor(10, TimeUnit.SECONDS)) {
                    chaincode.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                chaincode.destroyForcibly();
                Thread.currentThread().interrupt();
            }
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
