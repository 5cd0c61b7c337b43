package org.banyan.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.banyan.crypto.sign.CryptoProvider;
import org.banyan.crypto.sign.CryptoProviders;
import org.banyan.crypto.sign.KeyPairs;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.sign.SignatureVerifier;
import org.banyan.crypto.sign.Signer;
import org.banyan.crypto.sign.SigningKey;
import org.banyan.crypto.sign.VerificationKey;

/**
 * Single-core sign and verify throughput per provider that loads here and per key type. The figures behind
 * {@link CryptoProviders}' preference order come from this. Usage: {@code SignatureBench [--seconds N] [--out FILE]}.
 */
public final class SignatureBench {
    /** Message size: about a Fabric proposal response payload hash input. */
    public static final int MESSAGE_BYTES = 200;

    private static final Duration DEFAULT_PER_CASE = Duration.ofSeconds(2);

    private SignatureBench() {}

    /**
     * One measured case.
     *
     * @param provider provider name
     * @param keyType key type
     * @param verifyPerSecond verifications per second on one thread, key decoded once
     * @param signPerSecond signatures per second on one thread (ECDSA including low-S normalisation)
     */
    public record Row(String provider, String keyType, double verifyPerSecond, double signPerSecond) {}

    /** Runs every supported provider × key type, each op measured for {@code perCase} after an equal warm-up. */
    public static List<Row> run(Duration perCase) {
        List<Row> rows = new ArrayList<>();
        byte[] message = new byte[MESSAGE_BYTES];
        new Random(42).nextBytes(message);
        for (KeyType type : KeyType.values()) {
            KeyPair pair = KeyPairs.generate(type);
            for (CryptoProvider provider : CryptoProvider.values()) {
                if (!CryptoProviders.supports(provider, type)) {
                    continue;
                }
                Signer signer = Signer.using(provider);
                SignatureVerifier verifier = SignatureVerifier.using(provider);
                SigningKey signingKey = signer.prepare(pair.getPrivate());
                VerificationKey verificationKey = verifier.decode(pair.getPublic());
                byte[] signature = signer.sign(signingKey, message);
                Runnable verify = () -> {
                    if (!verifier.verify(verificationKey, message, signature)) {
                        throw new AssertionError(provider + " rejected a valid signature");
                    }
                };
                Runnable sign = () -> signer.sign(signingKey, message);
                measure(verify, perCase); // warm-up: let the JIT compile pure-Java providers
                double verifyPerSecond = measure(verify, perCase);
                measure(sign, perCase.dividedBy(2));
                double signPerSecond = measure(sign, perCase);
                rows.add(new Row(provider.name(), type.name(), verifyPerSecond, signPerSecond));
            }
        }
        return List.copyOf(rows);
    }

    /**
     * Verifications per second of the default provider ({@link SignatureVerifier#withDefaults()}) for one key type,
     * summed over {@code threads} threads verifying at the same time, each measured for {@code duration} after an
     * equal warm-up. With {@code threads} = the number of cores this is the machine's verify bound.
     */
    public static double defaultVerifyPerSecond(KeyType type, int threads, Duration duration) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads=" + threads);
        }
        byte[] message = new byte[MESSAGE_BYTES];
        new Random(42).nextBytes(message);
        KeyPair pair = KeyPairs.generate(type);
        Signer signer = Signer.withDefaults();
        SignatureVerifier verifier = SignatureVerifier.withDefaults();
        byte[] signature = signer.sign(signer.prepare(pair.getPrivate()), message);
        VerificationKey key = verifier.decode(pair.getPublic());
        Runnable verify = () -> {
            if (!verifier.verify(key, message, signature)) {
                throw new AssertionError("default verifier rejected a valid " + type + " signature");
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Double>> rates = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                rates.add(pool.submit(() -> {
                    measure(verify, duration);
                    return measure(verify, duration);
                }));
            }
            double sum = 0;
            for (Future<Double> rate : rates) {
                sum += rate.get();
            }
            return sum;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("verify measurement failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Seconds of one core per verification and per signature with the default provider for {@code type} (what
     * nodes use), each measured on one thread for {@code duration} after an equal warm-up: {@code [verify, sign]}.
     */
    public static double[] defaultCostsSeconds(KeyType type, Duration duration) {
        byte[] message = new byte[MESSAGE_BYTES];
        new Random(42).nextBytes(message);
        KeyPair pair = KeyPairs.generate(type);
        Signer signer = Signer.withDefaults();
        SignatureVerifier verifier = SignatureVerifier.withDefaults();
        SigningKey signingKey = signer.prepare(pair.getPrivate());
        byte[] signature = signer.sign(signingKey, message);
        VerificationKey key = verifier.decode(pair.getPublic());
        Runnable verify = () -> {
            if (!verifier.verify(key, message, signature)) {
                throw new AssertionError("default verifier rejected a valid " + type + " signature");
            }
        };
        Runnable sign = () -> signer.sign(signingKey, message);
        measure(verify, duration);
        double verifyPerSecond = measure(verify, duration);
        measure(sign, duration);
        double signPerSecond = measure(sign, duration);
        return new double[] {1 / verifyPerSecond, 1 / signPerSecond};
    }

    private static double measure(Runnable op, Duration duration) {
        long startNanos = System.nanoTime();
        long endNanos = startNanos + duration.toNanos();
        long ops = 0;
        long nowNanos;
        do {
            for (int i = 0; i < 16; i++) {
                op.run();
            }
            ops += 16;
            nowNanos = System.nanoTime();
        } while (nowNanos < endNanos);
        return ops / ((nowNanos - startNanos) / 1e9);
    }

    /** Prints the provider report and the table; {@code --out FILE} also writes JSON. */
    public static void main(String[] args) throws IOException {
        Duration perCase = DEFAULT_PER_CASE;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> perCase = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("usage: SignatureBench [--seconds N] [--out FILE]");
            }
        }
        for (CryptoProviders.Status status : CryptoProviders.report()) {
            System.out.printf("%-14s loaded=%-5s types=%s %s%n", status.provider(), status.loaded(), status.keyTypes(),
                    status.failure());
        }
        List<Row> rows = run(perCase);
        System.out.printf("%n%-14s %-11s %12s %12s%n", "provider", "key", "verify/s", "sign/s");
        for (Row row : rows) {
            System.out.printf("%-14s %-11s %,12.0f %,12.0f%n", row.provider(), row.keyType(), row.verifyPerSecond(), row.signPerSecond());
        }
        for (KeyType type : KeyType.values()) {
            System.out.printf("default %s: %s%n", type, CryptoProviders.defaultFor(type));
        }
        if (out != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), rows);
        }
    }
}
