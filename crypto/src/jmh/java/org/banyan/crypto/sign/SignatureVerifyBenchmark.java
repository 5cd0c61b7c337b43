package org.banyan.crypto.sign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.banyan.crypto.gen.CryptoGenerator;
import org.banyan.crypto.gen.GeneratedNetwork;
import org.banyan.crypto.gen.GeneratedOrg;
import org.banyan.crypto.msp.MspFolder;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.crypto.msp.MspVerdict;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One ECDSA P-256 signature check, the unit of work of every validation step (a block of N endorser transactions
 * with 3 endorsements costs 4N of them), on the machine's default provider ({@link CryptoProviders#defaultFor}).
 * The key and signature come from a {@link CryptoGenerator} network, as on a real channel:
 *
 * <ul>
 *   <li>{@link #verify}: the key already decoded, as {@link MspRegistry} keeps it — the price of a signature
 *       nobody has checked before;
 *   <li>{@link #mspVerifyCached}: {@link MspRegistry#verify} of a signature it has checked before (a node checks
 *       a client's signature at admission and again at validation): SHA-256 of the inputs and a cache lookup;
 *   <li>{@link #sign}: what an endorser or a client pays per signature (including low-S normalisation).
 * </ul>
 *
 * <p>{@code bench/run signatures} compares providers; this measures only the default one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SignatureVerifyBenchmark {
    /** About a proposal response payload plus the endorser's identity, what an endorsement signs. */
    @Param("1024")
    public int messageBytes;

    private LocalSigningIdentity identity;
    private SignatureVerifier verifier;
    private VerificationKey key;
    private MspRegistry registry;
    private byte[] serializedIdentity;
    private byte[] message;
    private byte[] signature;

    @Setup
    public void setUp() throws IOException {
        Path dir = Files.createTempDirectory("banyan-jmh-crypto");
        try {
            GeneratedNetwork network = CryptoGenerator.generate(dir, 1, KeyType.ECDSA_P256, 1);
            GeneratedOrg org = network.orgs().getFirst();
            identity = LocalSigningIdentity.load(org.userMspDirs().getFirst(), org.mspId());
            registry = MspRegistry.of(List.of(MspFolder.load(org.mspDir(), org.mspId())));
        } finally {
            deleteTree(dir);
        }
        verifier = SignatureVerifier.withDefaults();
        key = verifier.decode(identity.certificate().getPublicKey());
        serializedIdentity = identity.serialize();
        message = new byte[messageBytes];
        new Random(42).nextBytes(message);
        signature = identity.sign(message);
        if (!verifier.verify(key, message, signature) || !registry.verify(serializedIdentity, message, signature).isValid()) {
            throw new IllegalStateException("a freshly made signature does not verify");
        }
    }

    @Benchmark
    public boolean verify() {
        return verifier.verify(key, message, signature);
    }

    @Benchmark
    public MspVerdict mspVerifyCached() {
        return registry.verify(serializedIdentity, message, signature);
    }

    @Benchmark
    public byte[] sign() {
        return identity.sign(message);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
