package org.banyan.node.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.crypto.x509.Pem;

/**
 * The identities REST requests act as, kept on the node as Fabric's REST sample keeps them: one folder per identity
 * under {@code walletDir}, {@code NAME/signcerts/cert.pem}, {@code NAME/keystore/priv_sk} (owner-only) and
 * {@code NAME/mspid} — the layout of an MSP folder, so Fabric's tools read it too. An identity, once in the wallet,
 * is never silently replaced: API keys that act as it must keep meaning the same certificate.
 */
public final class Wallet {
    static final String MSP_ID_FILE = "mspid";
    /** Keystore files looked at for the key of the certificate (Fabric CA enrolments leave older keys there). */
    static final int KEYSTORE_FILES_MAX = 64;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

    private Wallet() {}

    /**
     * Checks that {@code name} can name a wallet folder: 1 to 128 of letters, digits, {@code . _ @ -}, not starting
     * with a dot or dash.
     */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("wallet identity name '" + name + "' must be 1 to 128 letters, digits, "
                    + "'.', '_', '@' or '-', starting with a letter or digit");
        }
        return name;
    }

    /**
     * Copies the identity of the MSP folder {@code mspDir} (its signcert and the keystore key that matches it) into
     * the wallet as {@code name}. Copying the same certificate again is a no-op.
     *
     * @return the identity as the wallet now holds it
     * @throws IllegalArgumentException when the MSP folder has no certificate or no key matching it, or the wallet
     *     holds another certificate under {@code name}
     */
    public static LocalSigningIdentity put(Path walletDir, String name, Path mspDir, String mspId) {
        checkName(name);
        LocalSigningIdentity identity = LocalSigningIdentity.load(mspDir, mspId);
        Path target = walletDir.resolve(name);
        if (Files.exists(target)) {
            LocalSigningIdentity held = load(walletDir, name);
            if (!Arrays.equals(held.serialize(), identity.serialize())) {
                throw new IllegalArgumentException("the wallet already holds another identity named '" + name + "' ("
                        + held + " in " + target + "); choose another name, or remove that folder if no API key "
                        + "uses it any more");
            }
            return held;
        }
        PrivateKey key = matchingKey(mspDir, identity);
        SecretFiles.createDirectories(walletDir);
        Path staging = walletDir.resolve("." + name + ".staging");
        try {
            deleteTree(staging);
            SecretFiles.write(staging.resolve("signcerts").resolve("cert.pem"), Pem.encode(identity.certificate()));
            SecretFiles.write(staging.resolve("keystore").resolve("priv_sk"), Pem.encode(key));
            SecretFiles.write(staging.resolve(MSP_ID_FILE), mspId.getBytes(StandardCharsets.UTF_8));
            // One rename: a reader sees the whole identity or none.
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot add identity '" + name + "' to the wallet " + walletDir, e);
        }
        return load(walletDir, name);
    }

    /**
     * The identity {@code name} of the wallet.
     *
     * @throws IllegalArgumentException when it is not there or is not a usable MSP folder
     */
    public static LocalSigningIdentity load(Path walletDir, String name) {
        checkName(name);
        Path dir = walletDir.resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the wallet " + walletDir + " holds no identity '" + name + "'");
        }
        String mspId;
        try {
            mspId = Files.readString(dir.resolve(MSP_ID_FILE), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("wallet identity '" + name + "' has no readable "
                    + dir.resolve(MSP_ID_FILE), e);
        }
        try {
            return LocalSigningIdentity.load(dir, mspId);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException("wallet identity '" + name + "' cannot be read: " + e.getMessage(), e);
        }
    }

    /** The names of the wallet's identities, sorted. */
    public static List<String> names(Path walletDir) {
        if (!Files.isDirectory(walletDir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(walletDir)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> NAME.matcher(n).matches()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the wallet " + walletDir, e);
        }
    }

    /** The keystore key that signs for the identity's certificate. */
    private static PrivateKey matchingKey(Path mspDir, LocalSigningIdentity identity) {
        Path keystore = mspDir.resolve("keystore");
        try (Stream<Path> files = Files.list(keystore)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().limit(KEYSTORE_FILES_MAX).toList()) {
                Optional<PrivateKey> key = keyOf(file, identity);
                if (key.isPresent()) {
                    return key.get();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + keystore, e);
        }
        // LocalSigningIdentity.load found one, so this is a race with someone editing the keystore.
        throw new IllegalArgumentException("no key in " + keystore + " matches the signcert");
    }

    private static Optional<PrivateKey> keyOf(Path file, LocalSigningIdentity identity) throws IOException {
        try {
            PrivateKey key = Pem.decodePrivateKey(Files.readAllBytes(file));
            LocalSigningIdentity.of(identity.mspId(), identity.certificate(), key); // throws unless the key matches
            return Optional.of(key);
        } catch (IllegalArgumentException notThisKey) {
            return Optional.empty();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
