package org.banyan.node.rest;

import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.banyan.crypto.SigningIdentity;
import org.banyan.node.gateway.GatewayException;

/**
 * Who an API key is: the node's side of {@link ApiKeys}. Looks at the keys file's identity (inode, modification time,
 * size) on every request and reads it again when it changed — {@code banyan apikey create} and {@code revoke}
 * replace the file, so they take effect on the next request without a restart. A file that cannot be read fails
 * closed: no request is authenticated until it is fixed, so a broken edit never revives a revoked key. Wallet
 * identities are loaded once per file version (at most {@value ApiKeys#KEYS_MAX}). Thread-safe.
 */
final class ApiKeyAuthenticator {
    /** An authenticated caller: its key's entry and the wallet identity that signs for it. */
    record Caller(ApiKeys.Entry key, SigningIdentity identity) {
        /** What the rate limiter counts this caller by: the key's hash, never the key. */
        Object limiterKey() {
            return key.sha256();
        }
    }

    /** One version of the file, or why it could not be read. */
    private record Snapshot(Object version, List<ApiKeys.Entry> entries, String failure) {}

    private final Path apiKeysFile;
    private final Path walletDir;
    private volatile Snapshot snapshot = new Snapshot(new Object(), List.of(), null);
    /** Wallet identities by name, for the current snapshot. */
    private final Map<String, SigningIdentity> identities = new ConcurrentHashMap<>();

    ApiKeyAuthenticator(Path apiKeysFile, Path walletDir) {
        this.apiKeysFile = apiKeysFile;
        this.walletDir = walletDir;
    }

    /**
     * The caller a presented key belongs to.
     *
     * @param presentedKey the key from the request, or null when it carried none
     * @throws GatewayException UNAUTHENTICATED without a key or with an unknown one; INTERNAL when the keys file or
     *     the key's wallet identity cannot be read
     */
    Caller authenticate(String presentedKey) throws GatewayException {
        if (presentedKey == null || presentedKey.isBlank()) {
            throw new GatewayException(Status.Code.UNAUTHENTICATED, "this API needs an API key: send it in the "
                    + "X-API-Key header (or Authorization: Bearer KEY); an operator creates one with "
                    + "'banyan apikey create'");
        }
        Snapshot current = current();
        if (current.failure() != null) {
            throw new GatewayException(Status.Code.INTERNAL, current.failure());
        }
        ApiKeys.Entry entry = ApiKeys.match(current.entries(), presentedKey.strip()).orElseThrow(
                () -> new GatewayException(Status.Code.UNAUTHENTICATED, "this API key is not known to this node: "
                        + "it was revoked, mistyped, or created for another node"));
        return new Caller(entry, identity(entry));
    }

    private SigningIdentity identity(ApiKeys.Entry entry) throws GatewayException {
        SigningIdentity cached = identities.get(entry.identity());
        if (cached != null) {
            return cached;
        }
        try {
            SigningIdentity loaded = Wallet.load(walletDir, entry.identity());
            identities.put(entry.identity(), loaded);
            return loaded;
        } catch (IllegalArgumentException e) {
            throw new GatewayException(Status.Code.INTERNAL, "API key " + entry.id() + " acts as wallet identity '"
                    + entry.identity() + "', which cannot be loaded: " + e.getMessage() + "; create the key again "
                    + "with 'banyan apikey create'");
        }
    }

    /** The snapshot of the file as it is now, read again if it changed. */
    private Snapshot current() {
        Object version = version();
        Snapshot seen = snapshot;
        if (Objects.equals(seen.version(), version)) {
            return seen;
        }
        synchronized (this) {
            if (Objects.equals(snapshot.version(), version)) {
                return snapshot;
            }
            Snapshot read;
            try {
                read = new Snapshot(version, ApiKeys.read(apiKeysFile).keys(), null);
            } catch (RuntimeException e) {
                read = new Snapshot(version, List.of(), "the API keys file cannot be read, so no API key is "
                        + "accepted until it is fixed: " + e.getMessage());
            }
            identities.clear();
            snapshot = read;
            return read;
        }
    }

    /** What changes when the file is replaced or edited; "absent" when there is none. */
    private Object version() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(apiKeysFile, BasicFileAttributes.class);
            return List.of(Objects.requireNonNullElse(attributes.fileKey(), ""), attributes.lastModifiedTime(),
                    attributes.size());
        } catch (NoSuchFileException e) {
            return "absent";
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
