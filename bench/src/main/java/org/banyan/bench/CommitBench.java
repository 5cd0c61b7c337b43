package org.banyan.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.banyan.crypto.SigningIdentity;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.LedgerOptions;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.EndorserTransactions;
import org.banyan.protocol.TxIds;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Ledger commit throughput and latency: blocks of signed endorser transactions, each writing one key with a
 * ~1 KB value, committed into a fresh {@link ChannelLedger} with RocksDB state and history (every commit
 * fsyncs its block). Blocks are generated and signed before timing starts. Usage: {@code CommitBench [--blocks
 * N] [--txs N] [--value-bytes N] [--warmup N] [--dir DIR] [--out FILE]}.
 */
public final class CommitBench {
    private static final java.time.Instant ISSUED_AT = java.time.Instant.parse("2024-01-01T00:00:00Z");
    private static final String CHANNEL = "benchchannel";
    private static final String NAMESPACE = "asset";

    private CommitBench() {}

    /**
     * @param blocks measured blocks
     * @param txsPerBlock transactions per block
     * @param valueBytes size of each written value
     * @param keySpace distinct keys; larger than blocks × txs means almost every write inserts
     * @param warmupBlocks committed before measuring, to warm the JIT and RocksDB
     */
    public record Config(int blocks, int txsPerBlock, int valueBytes, int keySpace, int warmupBlocks, long seed) {
        public static Config defaults() {
            return new Config(40, 500, 1024, 1_000_000, 5, 42);
        }
    }

    /**
     * @param txPerSecond transactions committed per second of commit time
     * @param commitMillisP50 median fsynced commit latency of one block
     * @param ledgerBytes size of the channel directory afterwards
     */
    public record Result(int blocks, int txsPerBlock, int valueBytes, long transactions, double seconds,
                         double txPerSecond, double blocksPerSecond, double commitMillisMean, double commitMillisP50,
                         double commitMillisP99, double commitMillisMax, long ledgerBytes, double generateSeconds) {}

    /** Generates the blocks, commits them into {@code ledgerDir} (which must not hold the channel) and measures. */
    public static Result run(Config config, Path ledgerDir) {
        long generateStart = System.nanoTime();
        BlockGenerator generator = new BlockGenerator(config);
        List<Block> chain = generator.chain(1 + config.warmupBlocks() + config.blocks());
        double generateSeconds = (System.nanoTime() - generateStart) / 1e9;
        long[] commitNanos = new long[config.blocks()];
        long totalNanos;
        try (ChannelLedger ledger = ChannelLedger.create(ledgerDir, chain.get(0), LedgerOptions.defaults())) {
            for (Block block : chain.subList(1, 1 + config.warmupBlocks())) {
                ledger.commit(block);
            }
            long start = System.nanoTime();
            for (int i = 0; i < config.blocks(); i++) {
                long before = System.nanoTime();
                ledger.commit(chain.get(1 + config.warmupBlocks() + i));
                commitNanos[i] = System.nanoTime() - before;
            }
            totalNanos = System.nanoTime() - start;
        }
        return summarise(config, commitNanos, totalNanos, directorySize(ledgerDir.resolve(CHANNEL)), generateSeconds);
    }

    private static Result summarise(Config config, long[] commitNanos, long totalNanos, long bytes, double generateSeconds) {
        long[] sorted = commitNanos.clone();
        Arrays.sort(sorted);
        double seconds = totalNanos / 1e9;
        long transactions = (long) config.blocks() * config.txsPerBlock();
        return new Result(config.blocks(), config.txsPerBlock(), config.valueBytes(), transactions, seconds,
                transactions / seconds, config.blocks() / seconds, Arrays.stream(sorted).average().orElse(0) / 1e6,
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted[sorted.length - 1] / 1e6, bytes,
                generateSeconds);
    }

    static double percentile(long[] sorted, double fraction) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static long directorySize(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fabric-shaped blocks from {@link EndorserTransactions}, signed by two throwaway ECDSA identities. */
    private static final class BlockGenerator {
        private final Config config;
        private final Random random;
        private final SigningIdentity client;
        private final SigningIdentity endorser;

        BlockGenerator(Config config) {
            this.config = config;
            this.random = new Random(config.seed());
            this.client = LocalSigningIdentity.ephemeral("Org1MSP", "client", "User1", KeyType.ECDSA_P256, ISSUED_AT);
            this.endorser = LocalSigningIdentity.ephemeral("Org2MSP", "peer", "peer0", KeyType.ECDSA_P256, ISSUED_AT);
        }

        List<Block> chain(int count) {
            List<Block> blocks = new ArrayList<>(count);
            blocks.add(genesis());
            while (blocks.size() < count) {
                blocks.add(next(blocks.get(blocks.size() - 1)));
            }
            return blocks;
        }

        private Block genesis() {
            byte[] nonce = new byte[TxIds.NONCE_BYTES];
            ChannelHeader header = ChannelHeader.newBuilder().setType(HeaderType.CONFIG_VALUE).setChannelId(CHANNEL)
                    .setTxId(TxIds.compute(nonce, new byte[0])).build();
            Payload payload = Payload.newBuilder().setHeader(Header.newBuilder().setChannelHeader(header.toByteString())
                    .setSignatureHeader(SignatureHeader.newBuilder().setNonce(ByteString.copyFrom(nonce)).build()
                            .toByteString())).build();
            Envelope envelope = Envelope.newBuilder().setPayload(payload.toByteString()).build();
            return Blocks.withValidationCodes(Blocks.create(0, ByteString.EMPTY, List.of(envelope.toByteString())),
                    List.of(TxValidationCode.VALID));
        }

        private Block next(Block previous) {
            long number = previous.getHeader().getNumber() + 1;
            List<ByteString> envelopes = new ArrayList<>(config.txsPerBlock());
            for (int i = 0; i < config.txsPerBlock(); i++) {
                envelopes.add(transaction(number).toByteString());
            }
            return Blocks.withValidationCodes(Blocks.next(previous, envelopes),
                    Collections.nCopies(config.txsPerBlock(), TxValidationCode.VALID));
        }

        private Envelope transaction(long blockNumber) {
            String key = "key" + random.nextInt(config.keySpace());
            byte[] value = new byte[config.valueBytes()];
            random.nextBytes(value);
            KVRWSet rwSet = KVRWSet.newBuilder().addReads(KVRead.newBuilder().setKey(key))
                    .addWrites(KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFrom(value))).build();
            TxReadWriteSet results = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV)
                    .addNsRwset(NsReadWriteSet.newBuilder().setNamespace(NAMESPACE).setRwset(rwSet.toByteString()))
                    .build();
            byte[] nonce = new byte[TxIds.NONCE_BYTES];
            random.nextBytes(nonce);
            EndorserTransactions.Invocation invocation = new EndorserTransactions.Invocation(CHANNEL, NAMESPACE,
                    List.of(ByteString.copyFromUtf8("put"), ByteString.copyFromUtf8(key)), results,
                    Timestamp.newBuilder().setSeconds(1_700_000_000L + blockNumber).build(), nonce);
            return EndorserTransactions.build(invocation, client, List.of(endorser));
        }
    }


    /** Prints the table; {@code --out FILE} also writes JSON. */
    public static void main(String[] args) throws IOException {
        Config defaults = Config.defaults();
        int blocks = defaults.blocks();
        int txs = defaults.txsPerBlock();
        int valueBytes = defaults.valueBytes();
        int warmup = defaults.warmupBlocks();
        Path dir = null;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--blocks" -> blocks = Integer.parseInt(args[++i]);
                case "--txs" -> txs = Integer.parseInt(args[++i]);
                case "--value-bytes" -> valueBytes = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("usage: CommitBench [--blocks N] [--txs N] "
                        + "[--value-bytes N] [--warmup N] [--dir DIR] [--out FILE]");
            }
        }
        Config config = new Config(blocks, txs, valueBytes, defaults.keySpace(), warmup, defaults.seed());
        boolean temporary = dir == null;
        Path ledgerDir = temporary ? Files.createTempDirectory("commit-bench") : Files.createDirectories(dir);
        try {
            Result result = run(config, ledgerDir);
            print(result, ledgerDir);
            if (out != null) {
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
            }
        } finally {
            if (temporary) {
                deleteRecursively(ledgerDir);
            }
        }
    }

    private static void print(Result r, Path ledgerDir) {
        System.out.printf("ledger dir %s; %d blocks x %d tx, %d-byte values (generated in %.1f s)%n", ledgerDir,
                r.blocks(), r.txsPerBlock(), r.valueBytes(), r.generateSeconds());
        System.out.printf("%-22s %14s%n", "metric", "value");
        System.out.printf("%-22s %,14.0f%n", "transactions/s", r.txPerSecond());
        System.out.printf("%-22s %,14.1f%n", "blocks/s", r.blocksPerSecond());
        System.out.printf("%-22s %,14.2f%n", "commit ms mean", r.commitMillisMean());
        System.out.printf("%-22s %,14.2f%n", "commit ms p50", r.commitMillisP50());
        System.out.printf("%-22s %,14.2f%n", "commit ms p99", r.commitMillisP99());
        System.out.printf("%-22s %,14.2f%n", "commit ms max", r.commitMillisMax());
        System.out.printf("%-22s %,14d%n", "ledger bytes", r.ledgerBytes());
    }

    static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
